// The finisher of `workforceFlows`: summed (origin, destination, occupation, period) groups
// become the regional FlowReport, suppressed after the cross-shard sum, written into the selection by its view.
import { type FlowArgs, flowQueryFromArgs } from '../../../schema/flows';
import type { AggregateReport } from '../fanout/aggregate';
import type { ObjectView } from '../fanout/views';
import { countByOutcome, type RegistryCall } from './flow-outcomes';
import { type SuppressedFlows, suppressFlows } from './report';
import type { CountedCell } from './suppression';

type Flows = SuppressedFlows;

const municipality: ObjectView<string> = { typename: 'Municipality', fields: { code: (code) => code } };
const occupation: ObjectView<string> = { typename: 'Occupation', fields: { iscoCode: (code) => code } };
const cellAt = (r: Flows, i: number) => r.cells[i] as CountedCell;

/**
 * The report's GraphQL types over the suppressed flows: element i of a list is read from the
 * report at index i, so the cells are written into the selection with no object in between.
 */
export const flowReportView: ObjectView<Flows> = {
  typename: 'FlowReport',
  fields: {
    granularity: (r) => r.granularity,
    threshold: (r) => r.threshold,
    cells: {
      length: (r) => r.cells.length,
      list: {
        typename: 'FlowCell',
        fields: {
          from: { object: municipality, get: (r: Flows, i) => cellAt(r, i).from },
          to: { object: municipality, get: (r: Flows, i) => cellAt(r, i).to },
          occupation: { object: occupation, get: (r: Flows, i) => cellAt(r, i).iscoCode },
          period: (r, i) => cellAt(r, i).period,
          placements: (r, i) => (r.hidden[i] ? null : cellAt(r, i).placements),
          suppressed: (r, i) => r.hidden[i] === true,
        },
      },
    },
    corridors: {
      length: (r) => r.corridors.length,
      list: {
        typename: 'FlowCorridor',
        fields: {
          from: { object: municipality, get: (r: Flows, i) => r.corridors[i]?.from },
          to: { object: municipality, get: (r: Flows, i) => r.corridors[i]?.to },
          placements: (r, i) => r.corridors[i]?.placements,
          suppressed: (r, i) => r.corridors[i]?.suppressed,
        },
      },
    },
    timeSeries: {
      length: (r) => r.timeSeries.length,
      list: {
        typename: 'FlowPeriod',
        fields: {
          period: (r, i) => r.timeSeries[i]?.period,
          placements: (r, i) => r.timeSeries[i]?.placements,
          suppressed: (r, i) => r.timeSeries[i]?.suppressed,
        },
      },
    },
    totals: {
      get: (r: Flows) => r.totals,
      object: {
        typename: 'FlowTotals',
        fields: {
          placements: (t: Flows['totals']) => t.placements,
          suppressed: (t: Flows['totals']) => t.suppressed,
          cells: (t: Flows['totals']) => t.cells,
          suppressedCells: (t: Flows['totals']) => t.suppressedCells,
        },
      },
    },
    recognition: {
      length: (r) => r.recognition.length,
      list: {
        typename: 'FlowOutcomeShare',
        fields: {
          outcome: (r, i) => r.recognition[i]?.outcome,
          placements: (r, i) => r.recognition[i]?.placements,
          share: (r, i) => r.recognition[i]?.share,
          suppressed: (r, i) => r.recognition[i]?.suppressed,
        },
      },
    },
  },
};

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
      const cells = groups.map(({ keys, sum }) => ({
        from: keys[0] ?? '',
        to: keys[1] ?? '',
        iscoCode: keys[2] ?? '',
        period: keys[3] ?? '',
        placements: sum,
      }));
      const breakdown = io.selected.has('recognition')
        ? await countByOutcome(query, io, options.registry)
        : null;
      const report = suppressFlows(cells, query.granularity, options.threshold, breakdown?.counts ?? null);
      return { value: report, view: flowReportView, errors: breakdown?.errors ?? [] };
    },
  };
}
