// Operations one subgraph answers whole (a plan of a single fetch asking exactly the client's fields)
// are answered with that subgraph's data as it comes, when it already has the shape @apollo/gateway's
// result shaping would give it: no merge into an empty result, no second walk, no copy. Any other
// answer, and every other operation, goes through @apollo/gateway unchanged; an answer already
// fetched is handed to it again rather than fetched twice.
import type {
  ApolloGateway,
  Experimental_DidResolveQueryPlanCallback,
  GraphQLDataSource,
  GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { type DocumentNode, type GraphQLSchema, getVariableValues, parse } from 'graphql';
import type { GraphQLPayload } from '../datasources/http-client';
import { type AnswerShape, answerShape, fitsShape } from './answer-shape';

type Executor = ApolloGateway['executor'];
type RequestContext = Parameters<Executor>[0];
type GatewayLike = Pick<ApolloGateway, 'load' | 'onSchemaLoadOrUpdate' | 'stop'>;

/** A planned operation the gateway may answer directly: its one fetch, where to send it, and the shape. */
interface Direct {
  schema: GraphQLSchema;
  source: GraphQLDataSource;
  query: string;
  operationName: string | undefined;
  /** As @apollo/gateway passes it: set only when its planner is configured to keep it. */
  document: DocumentNode | undefined;
  variableUsages: readonly string[];
  shape: AnswerShape;
}

/**
 * What a direct attempt received and could not pass on (an answer that did not fit, or the data
 * source's failure), waiting for @apollo/gateway's own fetch of the same text.
 */
interface Fetched {
  query: string;
  outcome: { ok: true; payload: GraphQLPayload } | { ok: false; error: unknown };
}

export interface DirectAnswerCounts {
  /** Answered with the subgraph's data as it came. */
  direct: number;
  /** Fetched directly, then shaped by @apollo/gateway because the answer did not fit. */
  shaped: number;
}

const keyOf = (rc: RequestContext) =>
  rc.request.operationName ? `${rc.queryHash}\n${rc.request.operationName}` : rc.queryHash;

export class DirectAnswers {
  /** Per operation: how to answer it directly, or null when it cannot be. Bounded, oldest dropped. */
  private readonly planned = new Map<string, Direct | null>();
  private readonly fetched = new WeakMap<object, Fetched>();
  readonly counts: DirectAnswerCounts = { direct: 0, shaped: 0 };

  constructor(private readonly limit = 2000) {}

  /** `experimental_didResolveQueryPlan` of the gateway: learns each operation's plan as it is executed. */
  readonly didResolveQueryPlan: Experimental_DidResolveQueryPlanCallback = ({
    queryPlan,
    serviceMap,
    operationContext,
    requestContext,
  }) => {
    const key = keyOf(requestContext);
    if (this.planned.has(key)) return;
    const fetch = queryPlan.node;
    let direct: Direct | null = null;
    if (
      fetch?.kind === 'Fetch' &&
      !fetch.requires &&
      !fetch.inputRewrites?.length &&
      !fetch.outputRewrites?.length &&
      !fetch.contextRewrites?.length
    ) {
      const source = serviceMap[fetch.serviceName];
      const shape = answerShape(
        operationContext.schema,
        operationContext.operation,
        operationContext.fragments,
        parse(fetch.operation),
      );
      if (source && shape) {
        direct = {
          schema: requestContext.schema,
          source,
          query: fetch.operation,
          operationName: fetch.operationName,
          document: fetch.operationDocumentNode,
          variableUsages: fetch.variableUsages ?? [],
          shape,
        };
      }
    }
    if (this.planned.size >= this.limit) this.planned.delete(this.planned.keys().next().value as string);
    this.planned.set(key, direct);
  };

  /** Wraps the gateway's `buildService`: a data source hands back an answer already fetched for the request. */
  replaying<S>(build: (service: S) => GraphQLDataSource): (service: S) => GraphQLDataSource {
    return (service) => {
      const source = build(service);
      return {
        process: (request: GraphQLDataSourceProcessOptions) => {
          const context = request.context as object | undefined;
          const waiting = context ? this.fetched.get(context) : undefined;
          if (context && waiting && waiting.query === request.request.query) {
            this.fetched.delete(context);
            const { outcome } = waiting;
            return outcome.ok ? Promise.resolve(outcome.payload) : Promise.reject(outcome.error);
          }
          return source.process(request);
        },
      };
    };
  }

  /** The gateway as Apollo Server sees it, with its executor answering directly where it can. */
  gateway(inner: GatewayLike): GatewayLike {
    inner.onSchemaLoadOrUpdate(() => this.planned.clear());
    return {
      load: async (options) => {
        const loaded = await inner.load(options);
        return { ...loaded, executor: this.executor(loaded.executor) };
      },
      onSchemaLoadOrUpdate: (callback) => inner.onSchemaLoadOrUpdate(callback),
      stop: () => inner.stop(),
    };
  }

  private executor(shaped: Executor): Executor {
    return async (rc) => {
      const direct = this.planned.get(keyOf(rc));
      if (!direct || !this.mayAnswer(rc, direct)) return shaped(rc);
      const variables: Record<string, unknown> = Object.create(null);
      const provided = rc.request.variables;
      for (const name of direct.variableUsages) {
        if (provided && Object.hasOwn(provided, name) && provided[name] !== undefined)
          variables[name] = provided[name];
      }
      let outcome: Fetched['outcome'];
      try {
        const payload = (await direct.source.process({
          kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
          request: { query: direct.query, variables, operationName: direct.operationName },
          incomingRequestContext: rc,
          context: rc.context,
          document: direct.document,
          pathInIncomingRequest: [],
        })) as GraphQLPayload;
        if (!payload.errors && !payload.extensions && fitsShape(payload.data, direct.shape)) {
          this.counts.direct++;
          return { data: payload.data as Record<string, unknown> };
        }
        outcome = { ok: true, payload };
      } catch (error) {
        outcome = { ok: false, error }; // @apollo/gateway meets the same failure and reports it its own way
      }
      this.counts.shaped++;
      this.fetched.set(rc.context, { query: direct.query, outcome });
      return shaped(rc);
    };
  }

  /** Same schema as when planned, no trace asked for, and variables the gateway would accept. */
  private mayAnswer(rc: RequestContext, direct: Direct): boolean {
    if (rc.schema !== direct.schema || rc.metrics?.captureTraces) return false;
    if (rc.request.http?.headers.get('apollo-query-plan-experimental')) return false;
    const definitions = rc.operation.variableDefinitions;
    if (!definitions?.length) return true;
    return !getVariableValues(rc.schema, definitions, rc.request.variables ?? {}).errors;
  }
}
