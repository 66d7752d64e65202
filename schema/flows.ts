// The workforce-flows contract shared by the gateway and the municipal subgraph: argument checks
// and the order of cells.
import { crossgateError } from './errors';
import { isIsoDate } from './scalars';
import { scopeArgument } from './scope';

export type Granularity = 'MONTH' | 'QUARTER' | 'YEAR';

/** Which placements a workforce-flow aggregate counts. Null means no restriction. */
export interface FlowQuery {
  /** Issuing municipalities (the credential id's prefix). */
  from: readonly string[] | null;
  /** Destination municipalities (where the placement is registered). */
  to: readonly string[] | null;
  /** ISCO-08 code prefix, e.g. "7" or "741". */
  iscoPrefix: string | null;
  /** Inclusive range of placement start dates, YYYY-MM-DD. */
  startFrom: string | null;
  startTo: string | null;
  granularity: Granularity;
}

export const GRANULARITIES: readonly Granularity[] = ['MONTH', 'QUARTER', 'YEAR'];

/** The group a flow cell counts: origin, destination, occupation and period. */
export interface FlowCellKey {
  from: string;
  to: string;
  iscoCode: string;
  period: string;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The order of flow cells, by (from, to, occupation, period) in code-unit order: a municipality
 * answers its cells in it, and the gateway merges every municipality's cells in one pass by it.
 */
export function compareFlowCells(a: FlowCellKey, b: FlowCellKey): number {
  return (
    byText(a.from, b.from) ||
    byText(a.to, b.to) ||
    byText(a.iscoCode, b.iscoCode) ||
    byText(a.period, b.period)
  );
}

/** The arguments of `workforceFlows` as a client sends them. */
export interface FlowArgs {
  from?: unknown;
  to?: unknown;
  isco?: unknown;
  period?: unknown;
  granularity?: unknown;
}

const ISCO_PREFIX = /^\d{1,4}$/;

function bad(argumentName: string, message: string): never {
  throw crossgateError('BAD_USER_INPUT', message, { argumentName });
}

function date(value: unknown, arg: string): string | null {
  if (value === undefined || value === null) return null;
  if (!isIsoDate(value)) {
    bad(arg, `${arg} must be a calendar date as YYYY-MM-DD; received ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  return value;
}

/** Checks the arguments and turns them into the store's query; BAD_USER_INPUT names the culprit. */
export function flowQueryFromArgs(args: FlowArgs): FlowQuery {
  const from = scopeArgument(args.from, 'from');
  const to = scopeArgument(args.to, 'to');
  let iscoPrefix: string | null = null;
  if (args.isco !== undefined && args.isco !== null && args.isco !== '') {
    if (typeof args.isco !== 'string' || !ISCO_PREFIX.test(args.isco)) {
      bad(
        'isco',
        `isco must be an ISCO-08 code prefix of 1 to 4 digits, such as "7" or "7411"; received ${JSON.stringify(args.isco)?.slice(0, 40)}`,
      );
    }
    iscoPrefix = args.isco;
  }
  const period = (args.period ?? {}) as { from?: unknown; to?: unknown };
  if (typeof period !== 'object' || Array.isArray(period))
    bad('period', 'period must be an object { from, to }');
  const startFrom = date(period.from, 'period.from');
  const startTo = date(period.to, 'period.to');
  if (startFrom && startTo && startFrom > startTo) {
    bad('period', `period.from (${startFrom}) must not be after period.to (${startTo})`);
  }
  const granularity = args.granularity ?? 'YEAR';
  if (!GRANULARITIES.includes(granularity as Granularity)) {
    bad(
      'granularity',
      `granularity must be one of ${GRANULARITIES.join(', ')}; received ${JSON.stringify(granularity)?.slice(0, 20)}`,
    );
  }
  return { from, to, iscoPrefix, startFrom, startTo, granularity: granularity as Granularity };
}
