// Each cell's corridor (from → to) and period as small integers, numbered in order of first
// appearance, with the cells of each: suppression groups and compares cells by these numbers
// instead of building a key string per cell.

/** Members of groups 0..n-1 in one array: group g holds members[start[g]] … members[start[g + 1] - 1]. */
export interface Groups {
  count: number;
  /** The group of each cell. */
  of: Int32Array;
  start: Int32Array;
  /** Cell indices, ascending within each group. */
  members: Int32Array;
}

export interface CellIndex {
  corridors: Groups;
  periods: Groups;
  /** (corridor, period) classes: cells that appear in exactly the same margins. */
  classes: Groups;
}

function grouped(of: Int32Array, count: number): Groups {
  const start = new Int32Array(count + 1);
  for (const g of of) start[g + 1] = (start[g + 1] as number) + 1;
  for (let g = 0; g < count; g++) start[g + 1] = (start[g + 1] as number) + (start[g] as number);
  const next = start.slice(0, count);
  const members = new Int32Array(of.length);
  of.forEach((g, i) => {
    members[next[g] as number] = i;
    next[g] = (next[g] as number) + 1;
  });
  return { count, of, start, members };
}

/** Indexes the cells (suppression.ts's CountedCell) by what their margins group them by. */
export function indexCells(cells: readonly { from: string; to: string; period: string }[]): CellIndex {
  const n = cells.length;
  const corridorOf = new Int32Array(n);
  const periodOf = new Int32Array(n);
  // Keyed by the cells' own strings: one map per origin, none per cell.
  const corridorIds = new Map<string, Map<string, number>>();
  const periodIds = new Map<string, number>();
  let corridors = 0;
  cells.forEach((c, i) => {
    let byTo = corridorIds.get(c.from);
    if (!byTo) {
      byTo = new Map();
      corridorIds.set(c.from, byTo);
    }
    let k = byTo.get(c.to);
    if (k === undefined) {
      k = corridors++;
      byTo.set(c.to, k);
    }
    corridorOf[i] = k;
    let p = periodIds.get(c.period);
    if (p === undefined) {
      p = periodIds.size;
      periodIds.set(c.period, p);
    }
    periodOf[i] = p;
  });
  const periods = periodIds.size;
  const classOf = new Int32Array(n);
  const classIds = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = (corridorOf[i] as number) * periods + (periodOf[i] as number);
    let k = classIds.get(key);
    if (k === undefined) {
      k = classIds.size;
      classIds.set(key, k);
    }
    classOf[i] = k;
  }
  return {
    corridors: grouped(corridorOf, corridors),
    periods: grouped(periodOf, periods),
    classes: grouped(classOf, classIds.size),
  };
}

/** The members of group `g`, ascending. */
export function membersOf(groups: Groups, g: number): Int32Array {
  return groups.members.subarray(groups.start[g], groups.start[g + 1]);
}
