// The finisher of `workforceFlows`: summed (origin, destination, occupation, period) groups
// become the regional FlowReport, suppressed after the cross-shard sum, typed for projection.
import { type FlowArgs, flowQueryFromArgs } from '../../../schema/flows';
import type { AggregateReport } from '../fanout/aggregate';
import { countByOutcome, type RegistryCall } from './flow-outcomes';
import { buildFlowReport, type FlowReport } from './report';

const municipality = (code: string) => ({ __typename: 'Municipality', code });

/** The report as GraphQL objects, each carrying its __typename. */
export function flowReportObject(report: FlowReport): Record<string, unknown> {
  return {
    __typename: 'FlowReport',
    granularity: report.granularity,
    threshold: report.threshold,
    cells: report.cells.map((c) => ({
      __typename: 'FlowCell',
      from: municipality(c.from),
      to: municipality(c.to),
      occupation: { __typename: 'Occupation', iscoCode: c.iscoCode },
      period: c.period,
      placements: c.placements,
      suppressed: c.suppressed,
    })),
    corridors: report.corridors.map((c) => ({
      __typename: 'FlowCorridor',
      from: municipality(c.from),
      to: municipality(c.to),
      placements: c.placements,
      suppressed: c.suppressed,
    })),
    timeSeries: report.timeSeries.map((p) => ({ __typename: 'FlowPeriod', ...p })),
    totals: { __typename: 'FlowTotals', ...report.totals },
    recognition: report.recognition.map((r) => ({ __typename: 'FlowOutcomeShare', ...r })),
  };
}

/**
 * The finisher; the recognition breakdown costs four more rounds (recognition.ts), so it is
 * computed only when the client selects `recognition`.
 */
export function workforceFlowsReport(options: {
  threshold: number;
  registry: RegistryCall;
}): AggregateReport {
  return {
    validate: (args) => {
      flowQueryFromArgs(args as FlowArgs);
    },
    finish: async (groups, args, io) => {
      const query = flowQueryFromArgs(args as FlowArgs);
      const cells = groups.map(({ keys: [from = '', to = '', iscoCode = '', period = ''], sum }) => ({
        from,
        to,
        iscoCode,
        period,
        placements: sum,
      }));
      const breakdown = io.selected.has('recognition')
        ? await countByOutcome(query, io, options.registry)
        : null;
      const report = buildFlowReport(cells, query.granularity, options.threshold, breakdown?.counts ?? null);
      return { value: flowReportObject(report), errors: breakdown?.errors ?? [] };
    },
  };
}
