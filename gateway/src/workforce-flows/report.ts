// Builds the regional FlowReport from the summed cells of every municipality, suppression applied.
import { compareFlowCells, type Granularity } from '../../../schema/flows';
import { indexCells } from './cell-index';
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

/** Sums rows with the same (from, to, iscoCode, period), e.g. one per municipality; sorted, non-zero. */
export function sumCells(rows: readonly CountedCell[]): CountedCell[] {
  // Already summed and sorted, as the gateway's merge of the municipalities' answers gives them.
  let ascending = true;
  for (let i = 1; i < rows.length && ascending; i++)
    ascending = compareFlowCells(rows[i - 1] as CountedCell, rows[i] as CountedCell) < 0;
  if (ascending) return rows.filter((c) => c.placements > 0);
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
  return [...sums.values()].filter((c) => c.placements > 0).sort(compareFlowCells);
}

/** A published figure, or null when withheld. */
export interface Shown {
  placements: number | null;
  suppressed: boolean;
}

/**
 * The report before it is written out: the summed cells and, by index, whether each is withheld;
 * the margins as the report lists them.
 */
export interface SuppressedFlows {
  granularity: Granularity;
  threshold: number;
  cells: CountedCell[];
  hidden: boolean[];
  corridors: FlowReport['corridors'];
  timeSeries: FlowReport['timeSeries'];
  totals: FlowReport['totals'];
  recognition: FlowReport['recognition'];
}

const shown = (value: number, withheld: boolean): Shown => ({
  placements: withheld ? null : value,
  suppressed: withheld,
});

/** Sums, suppresses and lists the margins; the cells stay as summed, withheld ones marked. */
export function suppressFlows(
  rows: readonly CountedCell[],
  granularity: Granularity,
  threshold: number,
  outcomes: OutcomeCounts | null = null,
): SuppressedFlows {
  const cells = sumCells(rows);
  const index = indexCells(cells);
  const margins = marginsOf(cells, index);
  const hidden = suppress(cells, margins, threshold, index);
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
      let suppressedCells = 0;
      for (const h of hidden.cells) if (h) suppressedCells++;
      totals = { ...out, cells: cells.length, suppressedCells };
    }
  });
  corridors.sort((a, b) => byText(corridorKey(a), corridorKey(b)));
  timeSeries.sort((a, b) => byText(a.period, b.period));
  return {
    granularity,
    threshold,
    cells,
    hidden: hidden.cells,
    corridors,
    timeSeries,
    totals,
    recognition: outcomes
      ? recognitionOf(cells, margins, hidden, threshold, outcomes, totals.placements)
      : [],
  };
}

/** The report over already-summed cells; `threshold` ≤ 1 publishes every count. */
export function buildFlowReport(
  rows: readonly CountedCell[],
  granularity: Granularity,
  threshold: number,
  outcomes: OutcomeCounts | null = null,
): FlowReport {
  const report = suppressFlows(rows, granularity, threshold, outcomes);
  return {
    granularity,
    threshold,
    cells: report.cells.map((c, i) => ({ ...c, ...shown(c.placements, report.hidden[i] === true) })),
    corridors: report.corridors,
    timeSeries: report.timeSeries,
    totals: report.totals,
    recognition: report.recognition,
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
