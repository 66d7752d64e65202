// The finisher of `workforceFlows`: summed (origin, destination, occupation, period) groups
// become the regional FlowReport, suppressed after the cross-shard sum, typed for projection.
import { type FlowArgs, flowQueryFromArgs } from '../../../schema/flows';
import type { AggregateReport } from '../fanout/aggregate';
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
  };
}

export function workforceFlowsReport(options: { threshold: number }): AggregateReport {
  return {
    validate: (args) => {
      flowQueryFromArgs(args as FlowArgs);
    },
    finish: (groups, args) => {
      const query = flowQueryFromArgs(args as FlowArgs);
      const cells = groups.map(({ keys: [from = '', to = '', iscoCode = '', period = ''], sum }) => ({
        from,
        to,
        iscoCode,
        period,
        placements: sum,
      }));
      return flowReportObject(buildFlowReport(cells, query.granularity, options.threshold));
    },
  };
}
