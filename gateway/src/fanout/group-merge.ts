// Sums the grouped rows of every shard by merging them in key order: each shard's rows are sorted
// (municipalities send them sorted, so this is one check), then merged, equal keys summed in place.
// Linear in the rows, and no key strings: rows are compared field by field.

/** One group after summing: its key values in rule order, and the summed count. */
export interface SummedGroup {
  keys: string[];
  sum: number;
}

type Json = Record<string, unknown>;

/** Reads a row's key values along dotted paths ("from.code"), split once per rule, not per row. */
export function keyReader(paths: readonly string[]): (row: unknown) => string[] | null {
  const steps = paths.map((p) => p.split('.'));
  return (row) => {
    const keys = new Array<string>(steps.length);
    for (let k = 0; k < steps.length; k++) {
      let value: unknown = row;
      for (const step of steps[k] as string[]) value = (value as Json | null | undefined)?.[step];
      if (typeof value !== 'string') return null;
      keys[k] = value;
    }
    return keys;
  };
}

/** Orders key tuples as the report does: by each key in turn, by UTF-16 code units. */
export function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let k = 0; k < a.length; k++) {
    const x = a[k] as string;
    const y = b[k] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const bySortKeys = (a: SummedGroup, b: SummedGroup) => compareKeys(a.keys, b.keys);

function sorted(groups: SummedGroup[]): SummedGroup[] {
  for (let i = 1; i < groups.length; i++) {
    if (bySortKeys(groups[i - 1] as SummedGroup, groups[i] as SummedGroup) > 0)
      return groups.sort(bySortKeys);
  }
  return groups;
}

/**
 * Merges lists of groups into one list sorted by keys, each key once with the sum of its counts.
 * The lists need not be sorted (an unsorted one is sorted first); their groups are reused for the
 * result, so the input lists must not be used afterwards.
 */
export function mergeGroups(lists: SummedGroup[][]): SummedGroup[] {
  const runs = lists.filter((l) => l.length > 0).map(sorted);
  const out: SummedGroup[] = [];
  // A binary min-heap of the runs by their current head: n log k for k shards.
  const heap: number[] = runs.map((_, r) => r);
  const at = new Int32Array(runs.length);
  const head = (r: number) => (runs[r] as SummedGroup[])[at[r] as number] as SummedGroup;
  const less = (a: number, b: number) => {
    const c = bySortKeys(head(a), head(b));
    return c < 0 || (c === 0 && a < b);
  };
  const down = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) return;
      const r = l + 1;
      const m = r < heap.length && less(heap[r] as number, heap[l] as number) ? r : l;
      if (!less(heap[m] as number, heap[i] as number)) return;
      [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const r = heap[0] as number;
    const group = head(r);
    const last = out[out.length - 1];
    if (last && compareKeys(last.keys, group.keys) === 0) last.sum += group.sum;
    else out.push(group);
    at[r] = (at[r] as number) + 1;
    if ((at[r] as number) >= (runs[r] as SummedGroup[]).length) {
      const end = heap.pop() as number;
      if (heap.length === 0) break;
      heap[0] = end;
    }
    down(0);
  }
  return out;
}
