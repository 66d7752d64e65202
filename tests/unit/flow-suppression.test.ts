// Suppression of workforce flows: small cells are withheld and no withheld small count can be
// recovered from the published cells and totals, by subtraction or any other linear combination.
import fc from 'fast-check';
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

/** The published equations: each visible total minus its visible cells = sum of its hidden cells. */
function equations(report: FlowReport) {
  const hidden = report.cells.map((c, i) => (c.suppressed ? i : -1)).filter((i) => i >= 0);
  const eqs: { members: number[]; rest: number }[] = [];
  const add = (value: number | null, inGroup: (c: FlowReport['cells'][number]) => boolean) => {
    if (value === null) return;
    const visible = report.cells.filter((c) => inGroup(c) && !c.suppressed);
    eqs.push({
      members: hidden.filter((i) => inGroup(report.cells[i] as FlowReport['cells'][number])),
      rest: value - visible.reduce((n, c) => n + (c.placements ?? 0), 0),
    });
  };
  add(report.totals.placements, () => true);
  for (const k of report.corridors) add(k.placements, (c) => c.from === k.from && c.to === k.to);
  for (const p of report.timeSeries) add(p.placements, (c) => c.period === p.period);
  return { hidden, eqs };
}

/** Exact rank over the rationals (fraction-free elimination on BigInt), independent of the code under test. */
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

/** Hidden small cells and hidden small totals that the published equations determine exactly. */
function recoverable(report: FlowReport, truth: CountedCell[]): string[] {
  const { hidden, eqs } = equations(report);
  const matrix = eqs.map((e) => hidden.map((h) => (e.members.includes(h) ? 1n : 0n)));
  const base = rank(matrix);
  const determined = (v: bigint[]) => v.some((x) => x !== 0n) && rank([...matrix, v]) === base;
  const found = hidden
    .filter(
      (h, j) =>
        (truth[h]?.placements ?? 0) < report.threshold &&
        determined(hidden.map((_, k) => (k === j ? 1n : 0n))),
    )
    .map((h) => `cell ${h}`);
  type Group = { placements: number | null; suppressed: boolean };
  const groups: [string, Group, (c: CountedCell) => boolean][] = [
    ...report.corridors.map((k): [string, Group, (c: CountedCell) => boolean] => [
      `corridor ${k.from}>${k.to}`,
      k,
      (c) => c.from === k.from && c.to === k.to,
    ]),
    ...report.timeSeries.map((p): [string, Group, (c: CountedCell) => boolean] => [
      `period ${p.period}`,
      p,
      (c) => c.period === p.period,
    ]),
  ];
  for (const [name, group, member] of groups) {
    const value = truth.filter(member).reduce((n, c) => n + c.placements, 0);
    if (!group.suppressed || value >= report.threshold) continue;
    if (determined(hidden.map((h) => (member(truth[h] as CountedCell) ? 1n : 0n)))) found.push(name);
  }
  return found;
}

describe('flow suppression', () => {
  const table = [
    cell('NB', 'SB', '7411', '2024', 40),
    cell('NB', 'SB', '5321', '2024', 3),
    cell('NB', 'SB', '2221', '2024', 12),
    cell('RV', 'SB', '7411', '2024', 25),
    cell('RV', 'SB', '5321', '2024', 9),
  ];

  it('withholds counts below the threshold and publishes the rest as they are', () => {
    const report = buildFlowReport(table, 'YEAR', 5);
    const small = report.cells.find((c) => c.iscoCode === '5321' && c.from === 'NB');
    expect(small).toMatchObject({ placements: null, suppressed: true });
    expect(report.cells.find((c) => c.iscoCode === '7411' && c.from === 'NB')).toMatchObject({
      placements: 40,
      suppressed: false,
    });
    expect(report.totals.placements).toBe(89);
  });

  it('withholds a second cell so that a corridor total minus its visible cells does not reveal the small one', () => {
    const report = buildFlowReport(table, 'YEAR', 5);
    const nbSb = report.corridors.find((k) => k.from === 'NB' && k.to === 'SB');
    const visibleInCorridor = report.cells.filter((c) => c.from === 'NB' && c.to === 'SB' && !c.suppressed);
    const hiddenInCorridor = report.cells.filter((c) => c.from === 'NB' && c.to === 'SB' && c.suppressed);
    // The attack: corridor total minus the visible cells. It must not isolate the count of 3.
    const remainder =
      (nbSb?.placements ?? 0) - visibleInCorridor.reduce((n, c) => n + (c.placements ?? 0), 0);
    expect(hiddenInCorridor.length).toBeGreaterThanOrEqual(2);
    expect(remainder).not.toBe(3);
    expect(hiddenInCorridor.map((c) => c.iscoCode).sort()).toEqual(['2221', '5321']);
    expect(recoverable(report, table)).toEqual([]);
  });

  it('withholds a complementary total when a small corridor could be found as the grand total minus the others', () => {
    const cells = [
      cell('NB', 'SB', '7411', '2024', 30),
      cell('RV', 'SB', '7411', '2024', 20),
      cell('SB', 'NB', '7411', '2024', 2),
    ];
    const report = buildFlowReport(cells, 'YEAR', 5);
    const published = report.corridors
      .filter((k) => !k.suppressed)
      .reduce((n, k) => n + (k.placements ?? 0), 0);
    const small = report.corridors.find((k) => k.from === 'SB');
    expect(small).toMatchObject({ placements: null, suppressed: true });
    // Grand total minus the published corridors must not give the small corridor's 2.
    expect(report.totals.placements === null || report.totals.placements - published !== 2).toBe(true);
    expect(recoverable(report, cells)).toEqual([]);
  });

  it('leaves no withheld small count recoverable in random regions', () => {
    const codes = ['NB', 'SB', 'RV'];
    const arbCell = fc.record({
      from: fc.constantFrom(...codes),
      to: fc.constantFrom(...codes),
      iscoCode: fc.constantFrom('7411', '5321', '2221', '8322'),
      period: fc.constantFrom('2022', '2023', '2024'),
      placements: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 30 })),
    });
    fc.assert(
      fc.property(
        fc.array(arbCell, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 2, max: 8 }),
        (rows, t) => {
          const report = buildFlowReport(rows, 'YEAR', t);
          const truth = report.cells.map((c) => {
            const sum = rows
              .filter(
                (r) =>
                  r.from === c.from && r.to === c.to && r.iscoCode === c.iscoCode && r.period === c.period,
              )
              .reduce((n, r) => n + r.placements, 0);
            return { ...c, placements: sum };
          });
          for (const [i, c] of report.cells.entries()) {
            const n = truth[i]?.placements ?? 0;
            if (n < t) expect(c.suppressed).toBe(true);
            if (!c.suppressed) expect(c.placements).toBe(n);
          }
          for (const k of [...report.corridors, ...report.timeSeries, report.totals]) {
            if (k.placements !== null) expect(k.placements).toBeGreaterThanOrEqual(t);
          }
          expect(recoverable(report, truth)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
