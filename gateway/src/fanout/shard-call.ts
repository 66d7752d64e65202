// One call to one shard, through its circuit breaker; the answer stays tagged: a payload, or a coded failure.
import { CODES, type ErrorCode } from '../../../schema/errors';
import type { CallOutcome, GraphQLPayload, SubgraphHttpClient } from '../datasources/http-client';
import { isRead } from '../datasources/http-client';
import type { CircuitBreakers } from './breaker';
import type { MunicipalSubgraph } from './rules';
import type { Shard } from './shards';

type Json = Record<string, unknown>;

/** A shard's answer: its GraphQL payload, or why there is none (no payload ever looks like a failure). */
export type ShardAnswer =
  | { ok: true; payload: GraphQLPayload }
  | { ok: false; code: ShardFailureCode; message: string };

export type ShardFailureCode = Extract<
  ErrorCode,
  | typeof CODES.MUNICIPALITY_TIMEOUT
  | typeof CODES.MUNICIPALITY_UNAVAILABLE
  | typeof CODES.MUNICIPALITY_CIRCUIT_OPEN
>;

export interface ShardCallerOptions {
  subgraph: MunicipalSubgraph;
  http: SubgraphHttpClient;
  timeoutMs: number;
  /** Headers to send a shard (request id, caller identity, signature). */
  headers?: (shard: Shard, body: string, context: unknown) => Record<string, string>;
  /** Observes every shard call (metrics, tests counting calls). */
  onShardCall?: (call: { subgraph: MunicipalSubgraph; shard: Shard; outcome: CallOutcome['ok'] }) => void;
  /** Circuit breakers keyed by shard endpoint; shared by every data source of the gateway. */
  breakers?: CircuitBreakers;
}

export type ShardCall = (
  shard: Shard,
  query: string,
  variables: Json,
  context: unknown,
) => Promise<ShardAnswer>;

/** Calls shards for one fanned-out subgraph. */
export class ShardCaller {
  constructor(private readonly options: ShardCallerOptions) {}

  readonly call: ShardCall = async (shard, query, variables, context) => {
    const body = JSON.stringify({ query, variables });
    const headers = this.options.headers?.(shard, body, context) ?? {};
    // Nothing may throw between admitting a probe and recording its outcome.
    const breakers = this.options.breakers;
    if (breakers?.admit(shard.url) === 'skip') {
      return {
        ok: false,
        code: CODES.MUNICIPALITY_CIRCUIT_OPEN,
        message: `Municipality ${shard.id} failed repeatedly and is skipped until it is probed again`,
      };
    }
    const outcome = await this.options.http.post(shard.url, body, headers, this.options.timeoutMs, {
      idempotent: isRead(query),
    });
    breakers?.record(shard.url, outcome.ok);
    this.options.onShardCall?.({ subgraph: this.options.subgraph, shard, outcome: outcome.ok });
    return answerOf(shard, outcome);
  };

  /** Counts a well-formed answer that the merge could not use against the shard's circuit. */
  recordMalformed(shard: Shard): void {
    this.options.breakers?.record(shard.url, false);
  }
}

function answerOf(shard: Shard, outcome: CallOutcome): ShardAnswer {
  if (outcome.ok) return outcome;
  return outcome.reason === 'timeout'
    ? {
        ok: false,
        code: CODES.MUNICIPALITY_TIMEOUT,
        message: `Municipality ${shard.id} did not answer in time`,
      }
    : { ok: false, code: CODES.MUNICIPALITY_UNAVAILABLE, message: `Municipality ${shard.id} is unavailable` };
}
