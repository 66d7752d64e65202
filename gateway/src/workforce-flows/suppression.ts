// Disclosure control for workforce flows: counts below the threshold are withheld, then further
// counts are withheld until no withheld small count can be derived from the published figures.
import { echelon, isDetermined } from './linear';

export interface CountedCell {
  from: string;
  to: string;
  iscoCode: string;
  period: string;
  placements: number;
}

export type MarginKind = 'total' | 'corridor' | 'period';

/** A published sum over cells: the grand total, one corridor (from → to) or one period. */
export interface Margin {
  kind: MarginKind;
  key: string;
  /** Indices of the cells it sums. */
  members: number[];
  value: number;
}

export interface Suppression {
  /** Withheld, per cell index. */
  cells: boolean[];
  /** Withheld, per margin index. */
  margins: boolean[];
}

export const corridorKey = (c: { from: string; to: string }) => `${c.from}\u0000${c.to}`;

/** The margins the flow report publishes: the total, each corridor and each period. */
export function marginsOf(cells: readonly CountedCell[]): Margin[] {
  const total: Margin = { kind: 'total', key: '', members: [], value: 0 };
  const groups = new Map<string, Margin>();
  cells.forEach((cell, i) => {
    total.members.push(i);
    total.value += cell.placements;
    for (const [kind, key] of [
      ['corridor', corridorKey(cell)],
      ['period', cell.period],
    ] as const) {
      const id = `${kind}:${key}`;
      const m = groups.get(id) ?? { kind, key, members: [], value: 0 };
      groups.set(id, m);
      m.members.push(i);
      m.value += cell.placements;
    }
  });
  return [total, ...groups.values()];
}

/**
 * Withholds every count (cell or margin) below `threshold`, then repeats: while some withheld
 * small count equals a linear combination of published figures (subtraction included), withhold
 * one more figure next to it — the smallest cell sharing its corridor and period, else its
 * corridor, else its period; for a margin, the smallest published margin of the same kind.
 * Every round withholds at least one more figure, so it ends; in the worst case everything.
 */
export function suppress(
  cells: readonly CountedCell[],
  margins: readonly Margin[],
  threshold: number,
): Suppression {
  const hiddenCells = cells.map((c) => c.placements < threshold);
  const hiddenMargins = margins.map((m) => m.value > 0 && m.value < threshold);
  const primaryCells = hiddenCells.map((h, i) => (h ? i : -1)).filter((i) => i >= 0);
  const primaryMargins = hiddenMargins.map((h, i) => (h ? i : -1)).filter((i) => i >= 0);
  const cellMargins = cells.map(() => [] as number[]);
  margins.forEach((m, mi) => {
    for (const i of m.members) cellMargins[i]?.push(mi);
  });

  for (let round = 0; round <= cells.length + margins.length; round++) {
    const exposed = exposedFigures(cells, margins, hiddenCells, hiddenMargins, primaryCells, primaryMargins);
    if (exposed.cells.length === 0 && exposed.margins.length === 0) break;
    let progress = false;
    for (const i of exposed.cells) {
      const partner = complementaryCell(cells, hiddenCells, i);
      if (partner !== undefined) {
        hiddenCells[partner] = true;
        progress = true;
      } else {
        for (const mi of cellMargins[i] ?? []) {
          if (!hiddenMargins[mi]) {
            hiddenMargins[mi] = true;
            progress = true;
          }
        }
      }
    }
    for (const mi of exposed.margins) {
      const partner = complementaryMargin(cells, margins, hiddenCells, hiddenMargins, mi);
      if (partner !== undefined) {
        hiddenMargins[partner] = true;
        progress = true;
      } else {
        const outside = smallestVisible(cells, hiddenCells, (_c, j) => !margins[mi]?.members.includes(j));
        if (outside !== undefined) {
          hiddenCells[outside] = true;
          progress = true;
        }
      }
    }
    if (!progress) {
      hiddenMargins.fill(true);
      break;
    }
  }
  return { cells: hiddenCells, margins: hiddenMargins };
}

/** The withheld small counts that published figures still determine exactly. */
function exposedFigures(
  cells: readonly CountedCell[],
  margins: readonly Margin[],
  hiddenCells: readonly boolean[],
  hiddenMargins: readonly boolean[],
  primaryCells: readonly number[],
  primaryMargins: readonly number[],
): { cells: number[]; margins: number[] } {
  // Withheld cells of one corridor and one period appear in exactly the same margins, so they
  // are one column of the system; a column shared by two cells never reveals either one alone.
  const classOf = new Map<string, number>();
  const cellClass: number[] = cells.map(() => -1);
  const classSize: number[] = [];
  cells.forEach((c, i) => {
    if (!hiddenCells[i]) return;
    const key = `${corridorKey(c)}\u0000${c.period}`;
    let k = classOf.get(key);
    if (k === undefined) {
      k = classSize.length;
      classOf.set(key, k);
      classSize.push(0);
    }
    cellClass[i] = k;
    classSize[k] = (classSize[k] ?? 0) + 1;
  });
  const width = classSize.length;
  const vectorOf = (m: Margin) => {
    const v = new Float64Array(width);
    for (const i of m.members) {
      const k = cellClass[i] ?? -1;
      if (k >= 0) v[k] = 1;
    }
    return v;
  };
  const published = margins.filter((_, mi) => !hiddenMargins[mi]).map(vectorOf);
  const basis = echelon(published, width);
  const exposedCells = primaryCells.filter((i) => {
    const k = cellClass[i] ?? -1;
    if (k < 0 || (classSize[k] ?? 0) > 1) return false;
    const unit = new Float64Array(width);
    unit[k] = 1;
    return isDetermined(basis, unit);
  });
  const exposedMargins = primaryMargins.filter((mi) => {
    const m = margins[mi];
    return m !== undefined && hiddenMargins[mi] && isDetermined(basis, vectorOf(m));
  });
  return { cells: exposedCells, margins: exposedMargins };
}

function smallestVisible(
  cells: readonly CountedCell[],
  hidden: readonly boolean[],
  accept: (c: CountedCell, index: number) => boolean,
): number | undefined {
  let best: number | undefined;
  cells.forEach((c, j) => {
    if (hidden[j] || !accept(c, j)) return;
    if (best === undefined || c.placements < (cells[best]?.placements ?? Infinity)) best = j;
  });
  return best;
}

function complementaryCell(cells: readonly CountedCell[], hidden: readonly boolean[], i: number) {
  const cell = cells[i] as CountedCell;
  const corridor = corridorKey(cell);
  return (
    smallestVisible(cells, hidden, (c) => corridorKey(c) === corridor && c.period === cell.period) ??
    smallestVisible(cells, hidden, (c) => corridorKey(c) === corridor) ??
    smallestVisible(cells, hidden, (c) => c.period === cell.period) ??
    smallestVisible(cells, hidden, () => true)
  );
}

/**
 * The published margin of the same kind to withhold beside an exposed one: preferably one whose
 * withheld cells meet every corridor (or period) the exposed one's do, so the two cannot be told
 * apart; the smallest such.
 */
function complementaryMargin(
  cells: readonly CountedCell[],
  margins: readonly Margin[],
  hiddenCells: readonly boolean[],
  hidden: readonly boolean[],
  mi: number,
) {
  const exposed = margins[mi] as Margin;
  const across = (m: Margin) =>
    new Set(
      m.members
        .filter((i) => hiddenCells[i])
        .map((i) =>
          m.kind === 'period' ? corridorKey(cells[i] as CountedCell) : (cells[i] as CountedCell).period,
        ),
    );
  const needed = across(exposed);
  let best: number | undefined;
  let bestCovers = false;
  margins.forEach((m, j) => {
    if (hidden[j] || j === mi || m.kind !== exposed.kind) return;
    const have = across(m);
    const covers = [...needed].every((k) => have.has(k));
    const smaller = best === undefined || m.value < (margins[best]?.value ?? Infinity);
    if ((covers && !bestCovers) || (covers === bestCovers && smaller)) {
      best = j;
      bestCovers = covers;
    }
  });
  return best;
}
