// Builds the regional FlowReport from the summed cells of every municipality, suppression applied.
import type { Granularity } from '../../../subgraphs/municipal/store';
import { type CountedCell, corridorKey, marginsOf, suppress } from './suppression';

export interface FlowReport {
  granularity: Granularity;
  threshold: number;
  cells: (Omit<CountedCell, 'placements'> & { placements: number | null; suppressed: boolean })[];
  corridors: { from: string; to: string; placements: number | null; suppressed: boolean }[];
  timeSeries: { period: string; placements: number | null; suppressed: boolean }[];
  totals: { placements: number | null; suppressed: boolean; cells: number; suppressedCells: number };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sums rows with the same (from, to, iscoCode, period), e.g. one per municipality. */
export function sumCells(rows: readonly CountedCell[]): CountedCell[] {
  const sums = new Map<string, CountedCell>();
  for (const r of rows) {
    const key = `${r.from}\u0000${r.to}\u0000${r.iscoCode}\u0000${r.period}`;
    const cell = sums.get(key);
    if (cell) cell.placements += r.placements;
    else
      sums.set(key, {
        from: r.from,
        to: r.to,
        iscoCode: r.iscoCode,
        period: r.period,
        placements: r.placements,
      });
  }
  return [...sums.values()]
    .filter((c) => c.placements > 0)
    .sort(
      (a, b) =>
        byText(a.from, b.from) ||
        byText(a.to, b.to) ||
        byText(a.iscoCode, b.iscoCode) ||
        byText(a.period, b.period),
    );
}

/** The report over already-summed cells; `threshold` ≤ 1 publishes every count. */
export function buildFlowReport(
  rows: readonly CountedCell[],
  granularity: Granularity,
  threshold: number,
): FlowReport {
  const cells = sumCells(rows);
  const margins = marginsOf(cells);
  const hidden = suppress(cells, margins, threshold);
  const shown = (value: number, withheld: boolean) => ({
    placements: withheld ? null : value,
    suppressed: withheld,
  });
  const corridors: FlowReport['corridors'] = [];
  const timeSeries: FlowReport['timeSeries'] = [];
  let totals: FlowReport['totals'] = { placements: 0, suppressed: false, cells: 0, suppressedCells: 0 };
  margins.forEach((m, i) => {
    const out = shown(m.value, hidden.margins[i] === true);
    if (m.kind === 'corridor') {
      const [from = '', to = ''] = m.key.split('\u0000');
      corridors.push({ from, to, ...out });
    } else if (m.kind === 'period') {
      timeSeries.push({ period: m.key, ...out });
    } else {
      totals = { ...out, cells: cells.length, suppressedCells: hidden.cells.filter(Boolean).length };
    }
  });
  corridors.sort((a, b) => byText(corridorKey(a), corridorKey(b)));
  timeSeries.sort((a, b) => byText(a.period, b.period));
  return {
    granularity,
    threshold,
    cells: cells.map((c, i) => ({ ...c, ...shown(c.placements, hidden.cells[i] === true) })),
    corridors,
    timeSeries,
    totals,
  };
}
