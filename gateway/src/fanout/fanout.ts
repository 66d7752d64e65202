// The municipal fan-out: one logical subgraph to the planner, a set of municipal shards behind it.
// Entity fetches are routed by id prefix (entities.ts); root fields follow their declared merge
// rule (plan.ts, one merge-*.ts per rule).

import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { CODES } from '../../../schema/errors';
import type { GraphQLPayload, SubgraphHttpClient } from '../datasources/http-client';
import type { AggregateReport } from './aggregate';
import type { CircuitBreakers } from './breaker';
import { routeEntities } from './entities';
import { FetchParser, type ParsedFetch } from './parsed-fetch';
import { resolveRootFields } from './root-fields';
import type { GatewayAnswer } from './rule-handler';
import { MERGE_RULES, type MergeRule, type MunicipalSubgraph } from './rules';
import { ShardCaller, type ShardCallerOptions } from './shard-call';
import { wire } from './shard-errors';
import type { Shard, ShardMap } from './shards';
import type { MemberTraffic } from './traffic';

type Json = Record<string, unknown>;

export interface FanOutOptions {
  subgraph: MunicipalSubgraph;
  /** The current routing table; read on every fetch so membership changes apply at once. */
  shards: () => ShardMap;
  http: SubgraphHttpClient;
  timeoutMs: number;
  /** Headers to send a shard (request id, caller identity, signature). */
  headers?: (shard: Shard, body: string, context: unknown) => Record<string, string>;
  /** Checks each answer's signature before it is merged (see ShardCallerOptions). */
  checkAnswer?: ShardCallerOptions['checkAnswer'];
  /** Observes every shard call (metrics, tests counting calls). */
  onShardCall?: ShardCallerOptions['onShardCall'];
  /** The merge rules by `Type.field`; default the declared table of the subgraph. */
  rules?: Readonly<Record<string, MergeRule>>;
  /** Circuit breakers keyed by shard endpoint; shared by every data source of the gateway. */
  breakers?: CircuitBreakers;
  /** Finishers of the aggregate rules, by the name a rule gives in `report`. */
  aggregates?: Record<string, AggregateReport>;
  /** The gateway's own answers of 'gateway' rules, by the name a rule gives in `answer`. */
  answers?: Record<string, GatewayAnswer>;
  /** Latencies and queues keyed by shard endpoint; shared by every data source of the gateway. */
  traffic?: MemberTraffic;
}

export class FanOutDataSource implements GraphQLDataSource {
  private readonly parser: FetchParser;
  private readonly caller: ShardCaller;

  constructor(private readonly options: FanOutOptions) {
    this.parser = new FetchParser(options.rules ?? MERGE_RULES[options.subgraph]);
    this.caller = new ShardCaller(options);
  }

  async process(request: GraphQLDataSourceProcessOptions): Promise<GraphQLPayload> {
    const query = request.request.query ?? '';
    const variables = (request.request.variables ?? {}) as Json;
    if (request.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) {
      return this.healthCheck(query, request.context);
    }
    let fetch: ParsedFetch;
    try {
      fetch = this.parser.parse(query);
    } catch (e) {
      return {
        errors: [{ message: (e as Error).message, extensions: { code: CODES.INTERNAL_SERVER_ERROR } }],
      };
    }
    const map = this.options.shards();
    const call = this.caller.call;
    if (fetch.kind === 'entities') {
      return routeEntities(fetch.text, variables, request.context, {
        map,
        call,
        recordMalformed: (shard) => this.caller.recordMalformed(shard),
      });
    }
    return resolveRootFields(fetch, variables, request.context, {
      map,
      call,
      report: (name) => this.aggregateReport(name),
      answer: (name) => this.gatewayAnswer(name),
    });
  }

  private aggregateReport(name: string): AggregateReport {
    const report = this.options.aggregates?.[name];
    if (!report) throw new Error(`No aggregate report '${name}' is configured`);
    return report;
  }

  private gatewayAnswer(name: string): GatewayAnswer {
    const answer = this.options.answers?.[name];
    if (!answer) throw new Error(`No gateway answer '${name}' is configured`);
    return answer;
  }

  /** The gateway's own health check and schema loading: every shard asked, the first answer kept. */
  private async healthCheck(query: string, context: unknown): Promise<GraphQLPayload> {
    const shards = this.options.shards().shards;
    const answers = await Promise.all(shards.map((s) => this.caller.call(s, query, {}, context)));
    const errors = answers.flatMap((a, i) =>
      a.ok ? [] : [wire(a.code, a.message, undefined, { municipality: shards[i]?.id })],
    );
    const first = answers.find((a) => a.ok);
    return { data: first?.payload.data ?? {}, ...(errors.length ? { errors } : {}) };
  }
}
