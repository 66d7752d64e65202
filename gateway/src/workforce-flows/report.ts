// Builds the regional FlowReport from the summed cells of every municipality, suppression applied.
import type { Granularity } from '../../../schema/flows';
import { suppressFigures } from './figure-suppression';
import { FLOW_OUTCOMES, type FlowOutcome, type OutcomeCounts } from './flow-outcomes';
import { type CountedCell, corridorKey, marginsOf, suppress } from './suppression';

export interface FlowReport {
  granularity: Granularity;
  threshold: number;
  cells: (Omit<CountedCell, 'placements'> & { placements: number | null; suppressed: boolean })[];
  corridors: { from: string; to: string; placements: number | null; suppressed: boolean }[];
  timeSeries: { period: string; placements: number | null; suppressed: boolean }[];
  totals: { placements: number | null; suppressed: boolean; cells: number; suppressedCells: number };
  /** Empty unless outcome counts were given. */
  recognition: {
    outcome: FlowOutcome;
    placements: number | null;
    share: number | null;
    suppressed: boolean;
  }[];
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
  outcomes: OutcomeCounts | null = null,
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
    recognition: outcomes
      ? recognitionOf(cells, margins, hidden, threshold, outcomes, totals.placements)
      : [],
  };
}

/**
 * Placements by outcome: HOME splits the cells where origin = destination, the other outcomes
 * split the rest; withheld as figure-suppression.ts decides, shares only of published counts.
 */
function recognitionOf(
  cells: readonly CountedCell[],
  margins: ReturnType<typeof marginsOf>,
  hidden: ReturnType<typeof suppress>,
  threshold: number,
  outcomes: OutcomeCounts,
  total: number | null,
): FlowReport['recognition'] {
  const values = FLOW_OUTCOMES.map((o) => outcomes[o]);
  const home = cells.map((c, i) => (c.from === c.to ? i : -1)).filter((i) => i >= 0);
  const abroad = cells.map((c, i) => (c.from !== c.to ? i : -1)).filter((i) => i >= 0);
  const withheld = suppressFigures(cells, margins, hidden, threshold, values, [
    { members: home, figures: [0] },
    { members: abroad, figures: values.slice(1).map((_, i) => i + 1) },
  ]);
  return FLOW_OUTCOMES.map((outcome, i) => {
    const placements = withheld[i] ? null : (values[i] ?? 0);
    return {
      outcome,
      placements,
      share: placements === null || total === null || total === 0 ? null : placements / total,
      suppressed: withheld[i] === true,
    };
  });
}
