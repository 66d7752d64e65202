// The aggregate merge: the shards' grouped rows summed by key in one ordered pass give exactly what
// summing them in a map and sorting gives, whatever order each shard sends its rows in.
import fc from 'fast-check';
import type { AggregateRule } from '../../gateway/src/fanout/aggregate';
import { sumGroups } from '../../gateway/src/fanout/aggregate';
import { compareKeys, mergeGroups, type SummedGroup } from '../../gateway/src/fanout/group-merge';

const RULE: AggregateRule = {
  kind: 'aggregate',
  scopeArg: 'to',
  rows: 'cells',
  keys: ['from.code', 'period'],
  sum: 'placements',
  report: 'r',
};

/** The obvious reference: a map by joined key, then sorted. */
function naive(lists: readonly SummedGroup[][]): [string[], number][] {
  const sums = new Map<string, [string[], number]>();
  for (const list of lists)
    for (const g of list) {
      const id = JSON.stringify(g.keys);
      const entry = sums.get(id) ?? [g.keys, 0];
      entry[1] += g.sum;
      sums.set(id, entry);
    }
  return [...sums.values()].sort((a, b) => compareKeys(a[0], b[0]));
}

const group = fc.record({
  keys: fc.tuple(fc.constantFrom('NB', 'SB', 'RV', 'Ä', 'a'), fc.constantFrom('2024', '2024-Q1', '2025')),
  sum: fc.nat(50),
});
const shards = fc.array(fc.array(group, { maxLength: 30 }), { maxLength: 6 });
const copy = (lists: SummedGroup[][]) => lists.map((l) => l.map((g) => ({ keys: [...g.keys], sum: g.sum })));

describe('aggregate group merge', () => {
  it('sums every key once, in key order, as a map and a sort would', () => {
    fc.assert(
      fc.property(shards, fc.boolean(), (lists, presort) => {
        const input = copy(lists);
        if (presort) for (const l of input) l.sort((a, b) => compareKeys(a.keys, b.keys));
        const merged = mergeGroups(input).map((g) => [g.keys, g.sum]);
        expect(merged).toEqual(naive(lists));
      }),
    );
  });

  it('merges shards with one key each, and none', () => {
    const a = { keys: ['SB', '2024'], sum: 2 };
    const b = { keys: ['NB', '2024'], sum: 3 };
    const c = { keys: ['SB', '2024'], sum: 4 };
    expect(mergeGroups([[a], [], [b], [c]])).toEqual([
      { keys: ['NB', '2024'], sum: 3 },
      { keys: ['SB', '2024'], sum: 6 },
    ]);
    expect(mergeGroups([])).toEqual([]);
  });

  it('reads the rows of each shard along the rule paths and counts malformed rows', () => {
    const row = (from: unknown, period: unknown, placements: unknown) => ({
      from: { code: from },
      period,
      placements,
    });
    const { groups, malformed } = sumGroups(RULE, [
      { cells: [row('SB', '2025', 1), row('NB', '2024', 2), row('NB', 2024, 1), null] },
      null,
      { cells: [row('NB', '2024', 5), row('SB', '2025', -1), row('SB', '2025', 1.5), { period: '2025' }] },
    ]);
    expect(groups).toEqual([
      { keys: ['NB', '2024'], sum: 7 },
      { keys: ['SB', '2025'], sum: 1 },
    ]);
    expect(malformed).toBe(5);
  });
});
