// Small linear algebra for disclosure control: is a vector a combination of published rows?
const EPS = 1e-9;

export interface Basis {
  rows: Float64Array[];
  pivots: number[];
}

/** Reduced row echelon form of the given rows (Gauss–Jordan with partial pivoting). */
export function echelon(input: readonly Float64Array[], width: number): Basis {
  const rows: Float64Array[] = input.map((r) => Float64Array.from(r));
  const pivots: number[] = [];
  let top = 0;
  for (let col = 0; col < width && top < rows.length; col++) {
    let best = top;
    for (let r = top + 1; r < rows.length; r++) {
      if (Math.abs((rows[r] as Float64Array)[col] ?? 0) > Math.abs((rows[best] as Float64Array)[col] ?? 0))
        best = r;
    }
    const pivotRow = rows[best] as Float64Array;
    const pivot = pivotRow[col] ?? 0;
    if (Math.abs(pivot) < EPS) continue;
    rows[best] = rows[top] as Float64Array;
    rows[top] = pivotRow;
    for (let c = col; c < width; c++) pivotRow[c] = (pivotRow[c] ?? 0) / pivot;
    for (let r = 0; r < rows.length; r++) {
      if (r === top) continue;
      const row = rows[r] as Float64Array;
      const f = row[col] ?? 0;
      if (Math.abs(f) < EPS) continue;
      for (let c = col; c < width; c++) row[c] = (row[c] ?? 0) - f * (pivotRow[c] ?? 0);
    }
    pivots.push(col);
    top++;
  }
  return { rows: rows.slice(0, top), pivots };
}

/** True when `vector` lies in the span of the basis rows, i.e. the rows determine it exactly. */
export function isDetermined(basis: Basis, vector: Float64Array): boolean {
  const v = Float64Array.from(vector);
  basis.rows.forEach((row, i) => {
    const p = basis.pivots[i] as number;
    const f = v[p] ?? 0;
    if (Math.abs(f) < EPS) return;
    for (let c = p; c < v.length; c++) v[c] = (v[c] ?? 0) - f * (row[c] ?? 0);
  });
  return v.every((x) => Math.abs(x) < 1e-7);
}

/**
 * For every column k, 1 when the basis determines the unit vector e_k, as `isDetermined` decides,
 * in one pass over the basis instead of one reduction per column. In reduced row echelon form e_k
 * reduces to zero only against the row whose pivot is k (every other row has, at the pivot columns
 * the reduction visits, a zero or an entry below EPS, which it skips), and what remains is minus
 * that row past column k: so e_k is determined when k is a pivot and its row is ~0 beyond it.
 */
export function determinedUnits(basis: Basis, width: number): Uint8Array {
  const units = new Uint8Array(width);
  basis.rows.forEach((row, i) => {
    const p = basis.pivots[i] as number;
    for (let c = p + 1; c < width; c++) if (Math.abs(row[c] ?? 0) >= 1e-7) return;
    units[p] = 1;
  });
  return units;
}
