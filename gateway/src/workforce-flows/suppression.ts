// Disclosure control for workforce flows: counts below the threshold are withheld, then further
// counts are withheld until no withheld small count can be derived from the published figures.
import { type CellIndex, type Groups, indexCells, membersOf } from './cell-index';
import { determinedUnits, echelon, isDetermined } from './linear';

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

/** The margins the flow report publishes: the total, each corridor and each period, in order of first appearance. */
export function marginsOf(cells: readonly CountedCell[], index: CellIndex = indexCells(cells)): Margin[] {
  const total: Margin = { kind: 'total', key: '', members: new Array<number>(cells.length), value: 0 };
  const margins: Margin[] = [total];
  const group = (kind: 'corridor' | 'period', groups: Groups, g: number, key: string): number => {
    const members = Array.from(membersOf(groups, g));
    let value = 0;
    for (const i of members) value += (cells[i] as CountedCell).placements;
    margins.push({ kind, key, members, value });
    return margins.length - 1;
  };
  const corridorMargin = new Int32Array(index.corridors.count).fill(-1);
  const periodMargin = new Int32Array(index.periods.count).fill(-1);
  cells.forEach((cell, i) => {
    total.members[i] = i;
    total.value += cell.placements;
    const c = index.corridors.of[i] as number;
    if (corridorMargin[c] === -1)
      corridorMargin[c] = group('corridor', index.corridors, c, corridorKey(cell));
    const p = index.periods.of[i] as number;
    if (periodMargin[p] === -1) periodMargin[p] = group('period', index.periods, p, cell.period);
  });
  return margins;
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
  index: CellIndex = indexCells(cells),
): Suppression {
  const hiddenCells = cells.map((c) => c.placements < threshold);
  const hiddenMargins = margins.map((m) => m.value > 0 && m.value < threshold);
  const primaryCells = hiddenCells.map((h, i) => (h ? i : -1)).filter((i) => i >= 0);
  const primaryMargins = hiddenMargins.map((h, i) => (h ? i : -1)).filter((i) => i >= 0);
  const cellMargins = marginsByCell(cells.length, margins);

  for (let round = 0; round <= cells.length + margins.length; round++) {
    const exposed = exposedFigures(index, margins, hiddenCells, hiddenMargins, primaryCells, primaryMargins);
    if (exposed.cells.length === 0 && exposed.margins.length === 0) break;
    let progress = false;
    for (const i of exposed.cells) {
      const partner = complementaryCell(cells, index, hiddenCells, i);
      if (partner !== undefined) {
        hiddenCells[partner] = true;
        progress = true;
      } else {
        for (const mi of membersOf(cellMargins, i)) {
          if (!hiddenMargins[mi]) {
            hiddenMargins[mi] = true;
            progress = true;
          }
        }
      }
    }
    for (const mi of exposed.margins) {
      const partner = complementaryMargin(index, margins, hiddenCells, hiddenMargins, mi);
      if (partner !== undefined) {
        hiddenMargins[partner] = true;
        progress = true;
      } else {
        const inside = new Uint8Array(cells.length);
        for (const j of margins[mi]?.members ?? []) inside[j] = 1;
        const outside = smallestVisible(cells, hiddenCells, allCells(cells.length), (j) => inside[j] === 0);
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

/** The margins of each cell, ascending: the inverse of the margins' member lists. */
function marginsByCell(n: number, margins: readonly Margin[]): Groups {
  const start = new Int32Array(n + 1);
  for (const m of margins) for (const i of m.members) start[i + 1] = (start[i + 1] as number) + 1;
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const next = start.slice(0, n);
  const members = new Int32Array(start[n] as number);
  margins.forEach((m, mi) => {
    for (const i of m.members) {
      members[next[i] as number] = mi;
      next[i] = (next[i] as number) + 1;
    }
  });
  return { count: n, of: new Int32Array(0), start, members };
}

/** The withheld small counts that published figures still determine exactly. */
function exposedFigures(
  index: CellIndex,
  margins: readonly Margin[],
  hiddenCells: readonly boolean[],
  hiddenMargins: readonly boolean[],
  primaryCells: readonly number[],
  primaryMargins: readonly number[],
): { cells: number[]; margins: number[] } {
  // Withheld cells of one corridor and one period appear in exactly the same margins, so they
  // are one column of the system; a column shared by two cells never reveals either one alone.
  // Columns are numbered in order of their first withheld cell.
  const columnOf = new Int32Array(index.classes.count).fill(-1);
  const cellClass = new Int32Array(hiddenCells.length).fill(-1);
  const classSize: number[] = [];
  hiddenCells.forEach((hidden, i) => {
    if (!hidden) return;
    const cls = index.classes.of[i] as number;
    let k = columnOf[cls] as number;
    if (k === -1) {
      k = classSize.length;
      columnOf[cls] = k;
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
  const units = determinedUnits(basis, width);
  const exposedCells = primaryCells.filter((i) => {
    const k = cellClass[i] ?? -1;
    return k >= 0 && classSize[k] === 1 && units[k] === 1;
  });
  const exposedMargins = primaryMargins.filter((mi) => {
    const m = margins[mi];
    return m !== undefined && hiddenMargins[mi] && isDetermined(basis, vectorOf(m));
  });
  return { cells: exposedCells, margins: exposedMargins };
}

const allCells = (n: number) => ({ length: n, at: (j: number) => j });

/** The visible accepted cell with the fewest placements among `candidates` (ascending), the first on a tie. */
function smallestVisible(
  cells: readonly CountedCell[],
  hidden: readonly boolean[],
  candidates: { length: number; at(k: number): number } | Int32Array,
  accept: (j: number) => boolean = () => true,
): number | undefined {
  let best: number | undefined;
  let fewest = Infinity;
  const at = candidates instanceof Int32Array ? (k: number) => candidates[k] as number : candidates.at;
  for (let k = 0; k < candidates.length; k++) {
    const j = at(k);
    if (hidden[j] || !accept(j)) continue;
    const placements = (cells[j] as CountedCell).placements;
    if (best === undefined || placements < fewest) {
      best = j;
      fewest = placements;
    }
  }
  return best;
}

/** The cell to withhold beside exposed cell i: of its corridor and period, else its corridor, else its period, else any. */
function complementaryCell(
  cells: readonly CountedCell[],
  index: CellIndex,
  hidden: readonly boolean[],
  i: number,
) {
  const corridor = membersOf(index.corridors, index.corridors.of[i] as number);
  const period = index.periods.of[i] as number;
  return (
    smallestVisible(cells, hidden, corridor, (j) => index.periods.of[j] === period) ??
    smallestVisible(cells, hidden, corridor) ??
    smallestVisible(cells, hidden, membersOf(index.periods, period)) ??
    smallestVisible(cells, hidden, allCells(cells.length))
  );
}

/**
 * The published margin of the same kind to withhold beside an exposed one: preferably one whose
 * withheld cells meet every corridor (or period) the exposed one's do, so the two cannot be told
 * apart; the smallest such.
 */
function complementaryMargin(
  index: CellIndex,
  margins: readonly Margin[],
  hiddenCells: readonly boolean[],
  hidden: readonly boolean[],
  mi: number,
) {
  const exposed = margins[mi] as Margin;
  // What a margin's withheld cells are spread across: corridors for a period, periods otherwise.
  const across = exposed.kind === 'period' ? index.corridors : index.periods;
  const seen = new Int32Array(across.count).fill(-1);
  const needed: number[] = [];
  for (const i of exposed.members) {
    const k = across.of[i] as number;
    if (hiddenCells[i] && seen[k] !== mi) {
      seen[k] = mi;
      needed.push(k);
    }
  }
  const have = new Int32Array(across.count).fill(-1);
  let best: number | undefined;
  let bestCovers = false;
  margins.forEach((m, j) => {
    if (hidden[j] || j === mi || m.kind !== exposed.kind) return;
    for (const i of m.members) if (hiddenCells[i]) have[across.of[i] as number] = j;
    const covers = needed.every((k) => have[k] === j);
    const smaller = best === undefined || m.value < (margins[best]?.value ?? Infinity);
    if ((covers && !bestCovers) || (covers === bestCovers && smaller)) {
      best = j;
      bestCovers = covers;
    }
  });
  return best;
}
