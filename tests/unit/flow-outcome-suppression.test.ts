// Suppression of the recognition breakdown: outcome counts below the threshold are withheld, no
// withheld small count (outcome, cell or total) can be derived once the outcome counts are
// published, and the cells and totals stay exactly as in a report without the breakdown.
import fc from 'fast-check';
import type { OutcomeCounts } from '../../gateway/src/workforce-flows/flow-outcomes';
import { buildFlowReport, type FlowReport } from '../../gateway/src/workforce-flows/report';
import type { CountedCell } from '../../gateway/src/workforce-flows/suppression';

const cell = (
  from: string,
  to: string,
  iscoCode: string,
  period: string,
  placements: number,
): CountedCell => ({
  from,
  to,
  iscoCode,
  period,
  placements,
});

/** Exact rank over the rationals (fraction-free elimination on BigInt). */
function rank(rows: bigint[][]): number {
  const m = rows.map((r) => [...r]);
  let r = 0;
  const width = m[0]?.length ?? 0;
  for (let c = 0; c < width && r < m.length; c++) {
    const p = m.findIndex((row, i) => i >= r && row[c] !== 0n);
    if (p < 0) continue;
    [m[r], m[p]] = [m[p] as bigint[], m[r] as bigint[]];
    const pivot = m[r] as bigint[];
    for (let i = r + 1; i < m.length; i++) {
      const row = m[i] as bigint[];
      const f = row[c] as bigint;
      if (f === 0n) continue;
      for (let j = 0; j < width; j++)
        row[j] = (row[j] as bigint) * (pivot[c] as bigint) - f * (pivot[j] as bigint);
    }
    r++;
  }
  return r;
}

type Cell = FlowReport['cells'][number];

/**
 * An attacker holding the whole published report: unknowns are the withheld cells and the
 * withheld outcome counts; equations are every published total and the two partitions
 * (HOME = cells with origin = destination, the other outcomes = the rest). Lists what it recovers.
 */
function recoverable(report: FlowReport, truth: readonly CountedCell[], outcomes: OutcomeCounts): string[] {
  const hiddenCells = report.cells.map((c, i) => (c.suppressed ? i : -1)).filter((i) => i >= 0);
  const hiddenFigures = report.recognition.map((r, i) => (r.suppressed ? i : -1)).filter((i) => i >= 0);
  const width = hiddenCells.length + hiddenFigures.length;
  const rowOver = (inGroup: (c: Cell) => boolean, sign: bigint) =>
    hiddenCells.map((h) => (inGroup(report.cells[h] as Cell) ? sign : 0n));
  const rows: bigint[][] = [];
  const publishedTotal = (value: number | null, inGroup: (c: Cell) => boolean) => {
    if (value !== null) rows.push([...rowOver(inGroup, 1n), ...hiddenFigures.map(() => 0n)]);
  };
  publishedTotal(report.totals.placements, () => true);
  for (const k of report.corridors) publishedTotal(k.placements, (c) => c.from === k.from && c.to === k.to);
  for (const p of report.timeSeries) publishedTotal(p.placements, (c) => c.period === p.period);
  const partition = (figures: number[], inGroup: (c: Cell) => boolean) =>
    rows.push([...rowOver(inGroup, -1n), ...hiddenFigures.map((f) => (figures.includes(f) ? 1n : 0n))]);
  partition([0], (c) => c.from === c.to);
  partition([1, 2, 3, 4, 5], (c) => c.from !== c.to);
  const totalsOnly = rows.slice(0, -2);
  const base = rank(rows);
  const determined = (v: bigint[]) => v.some((x) => x !== 0n) && rank([...rows, v]) === base;
  // HOME is by definition the sum of the cells where origin = destination: when the report's own
  // totals already determine that sum, withholding HOME can hide nothing, and the breakdown adds nothing.
  const homeFromTotals = () => {
    const v = [...rowOver((c) => c.from === c.to, 1n), ...hiddenFigures.map(() => 0n)];
    return !v.some((x) => x !== 0n) || rank([...totalsOnly, v]) === rank(totalsOnly);
  };
  const unit = (j: number) => Array.from({ length: width }, (_, k) => (k === j ? 1n : 0n));
  const found: string[] = [];
  hiddenCells.forEach((h, j) => {
    if ((truth[h]?.placements ?? 0) < report.threshold && determined(unit(j))) found.push(`cell ${h}`);
  });
  hiddenFigures.forEach((f, j) => {
    const r = report.recognition[f];
    const value = r ? outcomes[r.outcome] : 0;
    if (r?.outcome === 'HOME' && homeFromTotals()) return;
    if (value > 0 && value < report.threshold && determined(unit(hiddenCells.length + j)))
      found.push(r?.outcome ?? '');
  });
  const totals: [string, { suppressed: boolean }, (c: CountedCell) => boolean][] = [
    ...report.corridors.map((k): [string, typeof k, (c: CountedCell) => boolean] => [
      `corridor ${k.from}>${k.to}`,
      k,
      (c) => c.from === k.from && c.to === k.to,
    ]),
    ...report.timeSeries.map((p): [string, typeof p, (c: CountedCell) => boolean] => [
      `period ${p.period}`,
      p,
      (c) => c.period === p.period,
    ]),
  ];
  for (const [name, group, member] of totals) {
    const value = truth.filter(member).reduce((n, c) => n + c.placements, 0);
    if (!group.suppressed || value >= report.threshold) continue;
    const v = [
      ...hiddenCells.map((h) => (member(truth[h] as CountedCell) ? 1n : 0n)),
      ...hiddenFigures.map(() => 0n),
    ];
    if (determined(v)) found.push(name);
  }
  return found;
}

const counts = (c: Partial<OutcomeCounts>): OutcomeCounts => ({
  HOME: 0,
  RECOGNISED: 0,
  CONDITIONAL: 0,
  PARTIAL: 0,
  NOT_RECOGNISED: 0,
  UNKNOWN: 0,
  ...c,
});

describe('recognition breakdown suppression', () => {
  const table = [
    cell('NB', 'NB', '7411', '2024', 50),
    cell('SB', 'NB', '7411', '2024', 30),
    cell('RV', 'NB', '5321', '2024', 22),
  ];
  const outcomes = counts({ HOME: 50, RECOGNISED: 31, CONDITIONAL: 18, PARTIAL: 3 });

  it('publishes counts of at least the threshold, with their share of all placements', () => {
    const report = buildFlowReport(table, 'YEAR', 5, outcomes);
    expect(report.recognition.map((r) => r.outcome)).toEqual([
      'HOME',
      'RECOGNISED',
      'CONDITIONAL',
      'PARTIAL',
      'NOT_RECOGNISED',
      'UNKNOWN',
    ]);
    expect(report.recognition[0]).toEqual({
      outcome: 'HOME',
      placements: 50,
      share: 50 / 102,
      suppressed: false,
    });
    expect(report.recognition.find((r) => r.outcome === 'NOT_RECOGNISED')).toMatchObject({
      placements: 0,
      share: 0,
    });
  });

  it('withholds a second outcome so that the cross-border placements minus the published outcomes do not reveal a small one', () => {
    const report = buildFlowReport(table, 'YEAR', 5, outcomes);
    const partial = report.recognition.find((r) => r.outcome === 'PARTIAL');
    expect(partial).toMatchObject({ placements: null, share: null, suppressed: true });
    // The attack: cross-border total (published corridors) minus the published outcomes.
    const abroad = report.corridors
      .filter((k) => k.from !== k.to)
      .reduce((n, k) => n + (k.placements ?? 0), 0);
    const published = report.recognition
      .filter((r) => r.outcome !== 'HOME')
      .reduce((n, r) => n + (r.placements ?? 0), 0);
    expect(abroad - published).not.toBe(3);
    expect(report.recognition.filter((r) => r.suppressed).map((r) => r.outcome)).toEqual([
      'CONDITIONAL',
      'PARTIAL',
    ]);
    expect(recoverable(report, table, outcomes)).toEqual([]);
  });

  it('leaves cells and totals exactly as a report without the breakdown, and recovers nothing small in random regions', () => {
    const codes = ['NB', 'SB', 'RV'];
    const arbCell = fc.record({
      from: fc.constantFrom(...codes),
      to: fc.constantFrom(...codes),
      iscoCode: fc.constantFrom('7411', '5321', '2221'),
      period: fc.constantFrom('2023', '2024'),
      placements: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 30 })),
    });
    const arbWeight = fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 40 }));
    fc.assert(
      fc.property(
        fc.array(arbCell, { minLength: 1, maxLength: 30 }),
        fc.array(arbWeight, { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 2, max: 8 }),
        (rows, weights, t) => {
          const plain = buildFlowReport(rows, 'YEAR', t);
          const truth = plain.cells.map((c) => ({
            ...c,
            placements: rows
              .filter(
                (r) =>
                  r.from === c.from && r.to === c.to && r.iscoCode === c.iscoCode && r.period === c.period,
              )
              .reduce((n, r) => n + r.placements, 0),
          }));
          const home = truth.filter((c) => c.from === c.to).reduce((n, c) => n + c.placements, 0);
          const abroad = truth.filter((c) => c.from !== c.to).reduce((n, c) => n + c.placements, 0);
          const w = weights.reduce((a, b) => a + b, 0);
          const split = weights.map((x) => (w === 0 ? 0 : Math.floor((abroad * x) / w)));
          split[0] = (split[0] ?? 0) + abroad - split.reduce((a, b) => a + b, 0);
          const [RECOGNISED = 0, CONDITIONAL = 0, PARTIAL = 0, NOT_RECOGNISED = 0, UNKNOWN = 0] = split;
          const outcomes = counts({ HOME: home, RECOGNISED, CONDITIONAL, PARTIAL, NOT_RECOGNISED, UNKNOWN });
          const report = buildFlowReport(rows, 'YEAR', t, outcomes);
          expect({ ...report, recognition: [] }).toEqual(plain);
          for (const r of report.recognition) {
            const n = outcomes[r.outcome];
            if (n > 0 && n < t) expect(r.suppressed).toBe(true);
            if (!r.suppressed) expect(r.placements).toBe(n);
          }
          expect(recoverable(report, truth, outcomes)).toEqual([]);
        },
      ),
      { numRuns: 300, seed: Number(process.env.FC_SEED ?? Date.now()) },
    );
  });
});
