// Resolver of `workforceFlows` in one municipality: raw GROUP BY counts over its own placements.
// Nothing is suppressed here: the gateway suppresses after summing every municipality's counts.
import { compareFlowCells, type FlowArgs, flowQueryFromArgs } from '../../../schema/flows';
import type { MunicipalContext } from '../context';
import type { FlowRow } from '../store';

const municipality = (code: string) => ({ code });

function sums<K>(rows: readonly FlowRow[], key: (r: FlowRow) => string, make: (r: FlowRow) => K) {
  const out = new Map<string, K & { placements: number; suppressed: false }>();
  for (const r of rows) {
    const k = key(r);
    const entry = out.get(k) ?? { ...make(r), placements: 0, suppressed: false as const };
    entry.placements += r.placements;
    out.set(k, entry);
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
}

async function resolveQueryWorkforceFlows(_: unknown, args: FlowArgs, ctx: MunicipalContext) {
  const query = flowQueryFromArgs(args);
  const rows = [...(await ctx.store.placementFlows(query))].sort(compareFlowCells);
  const total = rows.reduce((n, r) => n + r.placements, 0);
  // Functions, which GraphQL calls only when selected: the gateway asks for the cells alone.
  return {
    granularity: query.granularity,
    threshold: 0,
    cells: () =>
      rows.map((r) => ({
        from: municipality(r.from),
        to: municipality(r.to),
        occupation: { iscoCode: r.iscoCode },
        period: r.period,
        placements: r.placements,
        suppressed: false,
      })),
    corridors: () =>
      sums(
        rows,
        (r) => `${r.from}\u0000${r.to}`,
        (r) => ({ from: municipality(r.from), to: municipality(r.to) }),
      ),
    timeSeries: () =>
      sums(
        rows,
        (r) => r.period,
        (r) => ({ period: r.period }),
      ),
    totals: { placements: total, suppressed: false, cells: rows.length, suppressedCells: 0 },
    // Needs the issuers' facts and the registry's agreements: the gateway computes it
    // (gateway/src/workforce-flows/flow-outcomes.ts) from the internal fields of flow-uses.ts.
    recognition: [],
  };
}

export const flowResolvers = {
  Query: {
    workforceFlows: resolveQueryWorkforceFlows,
  },
};
