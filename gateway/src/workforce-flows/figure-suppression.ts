// Disclosure control for figures that split the report's cells another way (placements by
// recognition outcome): only such figures are withheld, so the cells and totals stay exactly as in
// a report without them, and no withheld small count becomes derivable through them.

import { indexCells } from './cell-index';
import { echelon, isDetermined } from './linear';
import type { CountedCell, Margin, Suppression } from './suppression';

/**
 * Figures that add up to the sum of their member cells; members must be whole (corridor, period)
 * classes, as a split by "origin = destination" is.
 */
export interface Partition {
  members: number[];
  /** Indices into the figure values. */
  figures: number[];
}

/**
 * Withholds every figure below the threshold, then, while published figures make a withheld small
 * count derivable, one more figure of the partition responsible: the smallest published one.
 * A partition with two withheld figures tells nothing about either, nor about its cells.
 */
export function suppressFigures(
  cells: readonly CountedCell[],
  margins: readonly Margin[],
  base: Suppression,
  threshold: number,
  values: readonly number[],
  partitions: readonly Partition[],
): boolean[] {
  const hidden = values.map((v) => v > 0 && v < threshold);
  const small = [...hidden];
  // Withheld cells of one corridor and period are one unknown (their sum), as in suppression.ts;
  // numbered in order of their first withheld cell.
  const classes = indexCells(cells).classes;
  const columnOf = new Int32Array(classes.count).fill(-1);
  let width = 0;
  const cellClass = cells.map((_, i) => {
    if (!base.cells[i]) return -1;
    const k = classes.of[i] as number;
    if (columnOf[k] === -1) columnOf[k] = width++;
    return columnOf[k] as number;
  });
  const classSize = new Array<number>(width).fill(0);
  for (const k of cellClass) if (k >= 0) classSize[k] = (classSize[k] ?? 0) + 1;
  const vectorOf = (members: readonly number[]) => {
    const v = new Float64Array(width);
    for (const i of members) {
      const k = cellClass[i] ?? -1;
      if (k >= 0) v[k] = 1;
    }
    return v;
  };
  const baseRows = margins.filter((_, mi) => !base.margins[mi]).map((m) => vectorOf(m.members));
  const smallCells = cells
    .map((c, i) => (c.placements < threshold && classSize[cellClass[i] ?? -1] === 1 ? i : -1))
    .filter((i) => i >= 0);
  const smallMargins = margins.filter((m, mi) => base.margins[mi] && m.value > 0 && m.value < threshold);
  // The smallest published non-zero figure: withholding a zero beside a small count would leave
  // their sum, the small count itself, in plain sight. A zero only when nothing else is left.
  const smallest = (p: Partition) =>
    p.figures
      .filter((fi) => !hidden[fi])
      .sort(
        (a, b) =>
          Number(values[a] === 0) - Number(values[b] === 0) || (values[a] ?? 0) - (values[b] ?? 0) || a - b,
      )[0];

  for (let round = 0; round <= values.length; round++) {
    let changed = false;
    // A partition with no withheld figure publishes the sum of its cells.
    const full = partitions.filter((p) => p.figures.every((fi) => !hidden[fi]));
    const basis = echelon([...baseRows, ...full.map((p) => vectorOf(p.members))], width);
    const unit = (k: number) => {
      const v = new Float64Array(width);
      v[k] = 1;
      return v;
    };
    const exposesBase =
      smallCells.some((i) => isDetermined(basis, unit(cellClass[i] as number))) ||
      smallMargins.some((m) => isDetermined(basis, vectorOf(m.members)));
    const first = full[0];
    if (exposesBase && first) {
      const fi = smallest(first);
      if (fi !== undefined) {
        hidden[fi] = true;
        changed = true;
      }
    }
    // A lone withheld small figure equals the sum of its cells minus the published figures.
    for (const p of partitions) {
      const withheld = p.figures.filter((fi) => hidden[fi]);
      const lone = withheld[0];
      if (withheld.length !== 1 || lone === undefined || !small[lone]) continue;
      const others = echelon(
        [...baseRows, ...full.filter((q) => q !== p).map((q) => vectorOf(q.members))],
        width,
      );
      if (!isDetermined(others, vectorOf(p.members))) continue;
      // Nothing left to withhold beside it: withhold in a complete partition that, with the
      // published margins, pins down this one's sum (unless the margins alone already do: the
      // documented limit, which no figure of this split can change).
      const fi =
        smallest(p) ??
        (isDetermined(echelon(baseRows, width), vectorOf(p.members))
          ? undefined
          : full
              .filter((q) => q !== p)
              .map((q) => smallest(q))
              .filter((x): x is number => x !== undefined)
              .sort(
                (a, b) =>
                  Number(values[a] === 0) - Number(values[b] === 0) ||
                  (values[a] ?? 0) - (values[b] ?? 0) ||
                  a - b,
              )[0]);
      if (fi !== undefined) {
        hidden[fi] = true;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return hidden;
}
