// The municipal fan-out: one logical subgraph to the planner, a set of municipal shards behind it.
// Entity fetches are routed by id prefix; root fields follow their declared merge rule.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import {
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import { checkPageSize, encodeKeyCursor } from '../../../schema/cursor';
import { crossgateError, type ErrorCode } from '../../../schema/errors';
import { municipalityCodeArgument, ownerOf, parseGlobalId } from '../../../schema/ids';
import { scopeArgument } from '../../../schema/scope';
import type {
  CallOutcome,
  GraphQLPayload,
  GraphQLWireError,
  SubgraphHttpClient,
} from '../datasources/http-client';
import { isRead } from '../datasources/http-client';
import {
  type AggregateReport,
  aggregateShardField,
  fieldArguments,
  mergeAggregate,
  type ShardReply,
} from './aggregate';
import type { CircuitBreakers } from './breaker';
import { decodeRegionCursor, type Positions, positionOf } from './cursor';
import { mergeConcat, orderSelections } from './merge-concat';
import {
  CONNECTION_EXTRAS,
  type ConnectionShape,
  connectionShape,
  mergeConnection,
  type ShardResult,
} from './merge-connection';
import { MERGE_RULES, type MergeRule, type MunicipalSubgraph } from './rules';
import {
  argumentValue,
  documentFor,
  type Fragments,
  flattenFields,
  pickVariables,
  responseKey,
  withArgument,
  withSelections,
} from './selections';
import { clean, fromThrown, wire } from './shard-errors';
import type { Shard, ShardMap } from './shards';

type Json = Record<string, unknown>;

export interface FanOutOptions {
  subgraph: MunicipalSubgraph;
  /** The current routing table; read on every fetch so membership changes apply at once. */
  shards: () => ShardMap;
  http: SubgraphHttpClient;
  timeoutMs: number;
  /** Headers to send a shard (request id, caller identity, signature). */
  headers?: (shard: Shard, body: string, context: unknown) => Record<string, string>;
  /** Observes every shard call (metrics, tests counting calls). */
  onShardCall?: (call: { subgraph: MunicipalSubgraph; shard: Shard; outcome: CallOutcome['ok'] }) => void;
  /** The merge rules by `Type.field`; default the declared table of the subgraph. */
  rules?: Readonly<Record<string, MergeRule>>;
  /** Circuit breakers keyed by shard endpoint; shared by every data source of the gateway. */
  breakers?: CircuitBreakers;
  /** Finishers of the aggregate rules, by the name a rule gives in `report`. */
  aggregates?: Record<string, AggregateReport>;
}

interface RootField {
  field: FieldNode;
  key: string;
  rule: MergeRule | { kind: 'typename' };
  connection?: ConnectionShape;
}

type ParsedFetch =
  | { kind: 'entities'; text: string }
  | { kind: 'root'; operation: OperationDefinitionNode; fragments: Fragments; fields: RootField[] };

interface ShardFailure {
  code: ErrorCode;
  message: string;
}

export class FanOutDataSource implements GraphQLDataSource {
  private readonly parsed = new Map<string, ParsedFetch>();

  constructor(private readonly options: FanOutOptions) {}

  async process(request: GraphQLDataSourceProcessOptions): Promise<GraphQLPayload> {
    const query = request.request.query ?? '';
    const variables = (request.request.variables ?? {}) as Json;
    if (request.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) {
      return this.healthCheck(query, request.context);
    }
    let fetch: ParsedFetch;
    try {
      fetch = this.parse(query);
    } catch (e) {
      return { errors: [{ message: (e as Error).message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
    }
    return fetch.kind === 'entities'
      ? this.entities(fetch.text, variables, request.context)
      : this.roots(fetch, variables, request.context);
  }

  /** Parses and analyses a fetch once per query text. */
  private parse(text: string): ParsedFetch {
    const cached = this.parsed.get(text);
    if (cached) return cached;
    const doc = parse(text);
    const operation = doc.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    if (!operation) throw new Error('Fetch has no operation');
    const fragments = new Map(
      doc.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((f) => [f.name.value, f]),
    );
    const roots = flattenFields(operation.selectionSet, fragments);
    let result: ParsedFetch;
    if (roots.length === 1 && roots[0]?.name.value === '_entities') {
      result = { kind: 'entities', text };
    } else {
      const typeName = operation.operation === 'mutation' ? 'Mutation' : 'Query';
      const fields = roots.map((field): RootField => {
        if (field.name.value === '__typename')
          return { field, key: responseKey(field), rule: { kind: 'typename' } };
        const rules = this.options.rules ?? MERGE_RULES[this.options.subgraph];
        const rule = rules[`${typeName}.${field.name.value}`];
        if (!rule) throw new Error(`No merge rule for ${typeName}.${field.name.value}`);
        if (typeName === 'Mutation' && rule.kind !== 'route-by-id' && rule.kind !== 'route-by-municipality') {
          throw new Error(`Mutation ${field.name.value} must be routed to one municipality`);
        }
        return {
          field,
          key: responseKey(field),
          rule,
          connection: rule.kind === 'connection' ? connectionShape(field, fragments) : undefined,
        };
      });
      result = { kind: 'root', operation, fragments, fields };
    }
    if (this.parsed.size > 2000) this.parsed.clear();
    this.parsed.set(text, result);
    return result;
  }

  private async call(
    shard: Shard,
    query: string,
    variables: Json,
    context: unknown,
  ): Promise<GraphQLPayload | ShardFailure> {
    const body = JSON.stringify({ query, variables });
    const headers = this.options.headers?.(shard, body, context) ?? {};
    // Nothing may throw between admitting a probe and recording its outcome.
    const breakers = this.options.breakers;
    if (breakers?.admit(shard.url) === 'skip') {
      return {
        code: 'MUNICIPALITY_CIRCUIT_OPEN',
        message: `Municipality ${shard.id} failed repeatedly and is skipped until it is probed again`,
      };
    }
    const outcome = await this.options.http.post(shard.url, body, headers, this.options.timeoutMs, {
      idempotent: isRead(query),
    });
    breakers?.record(shard.url, outcome.ok);
    this.options.onShardCall?.({ subgraph: this.options.subgraph, shard, outcome: outcome.ok });
    if (outcome.ok) return outcome.payload;
    return outcome.reason === 'timeout'
      ? { code: 'MUNICIPALITY_TIMEOUT', message: `Municipality ${shard.id} did not answer in time` }
      : { code: 'MUNICIPALITY_UNAVAILABLE', message: `Municipality ${shard.id} is unavailable` };
  }

  // ---- _entities: split by owner, one batched call per shard, re-assembled in order ----

  private async entities(query: string, variables: Json, context: unknown): Promise<GraphQLPayload> {
    const representations = Array.isArray(variables.representations)
      ? (variables.representations as Json[])
      : [];
    const slots: unknown[] = representations.map(() => null);
    const errors: GraphQLWireError[] = [];
    const map = this.options.shards();
    const groups = new Map<Shard, { reps: Json[]; indices: number[][]; seen: Map<string, number> }>();
    representations.forEach((rep, index) => {
      const owner = ownerOf(rep.id);
      const shard = owner ? map.shardOf(owner) : undefined;
      if (!shard) {
        const why = owner ? unrouted(map, owner) : { code: 'INVALID_ID' as const, message: 'Malformed id' };
        errors.push(
          wire(why.code, `${why.message}: ${JSON.stringify(rep.id)?.slice(0, 80)}`, ['_entities', index], {
            ...(owner ? { municipality: owner } : {}),
          }),
        );
        return;
      }
      const group = groups.get(shard) ?? {
        reps: [] as Json[],
        indices: [] as number[][],
        seen: new Map<string, number>(),
      };
      groups.set(shard, group);
      const dedupe = JSON.stringify(rep);
      const slot = group.seen.get(dedupe);
      if (slot !== undefined) {
        group.indices[slot]?.push(index);
      } else {
        group.seen.set(dedupe, group.reps.length);
        group.reps.push(rep);
        group.indices.push([index]);
      }
    });
    await Promise.all(
      [...groups].map(async ([shard, group]) => {
        const answer = await this.call(shard, query, { ...variables, representations: group.reps }, context);
        const entities = isPayload(answer) ? answer.data?._entities : undefined;
        if (!isPayload(answer) || !Array.isArray(entities) || entities.length !== group.reps.length) {
          const failure = isPayload(answer)
            ? entities === undefined && answer.errors?.length
              ? null
              : {
                  code: 'MUNICIPALITY_UNAVAILABLE' as const,
                  message: `Municipality ${shard.id} answered a malformed entity list`,
                }
            : answer;
          // A malformed answer counts against the shard's circuit like a failed call.
          if (isPayload(answer) && failure) this.options.breakers?.record(shard.url, false);
          if (failure) {
            for (const idxs of group.indices)
              for (const i of idxs)
                errors.push(
                  wire(failure.code, failure.message, ['_entities', i], { municipality: shard.id }),
                );
            return;
          }
        }
        group.indices.forEach((idxs, j) => {
          for (const i of idxs) slots[i] = Array.isArray(entities) ? (entities[j] ?? null) : null;
        });
        for (const e of (answer as GraphQLPayload).errors ?? []) {
          const path = e.path;
          const localSlot = path?.[0] === '_entities' && typeof path[1] === 'number' ? path[1] : undefined;
          const targets = localSlot !== undefined ? (group.indices[localSlot] ?? []) : group.indices.flat();
          for (const i of targets) {
            errors.push(clean(e, shard, ['_entities', i, ...(path?.slice(2) ?? [])]));
          }
        }
      }),
    );
    return { data: { _entities: slots }, ...(errors.length ? { errors } : {}) };
  }

  // ---- root fields: each by its merge rule ----

  private async roots(
    fetch: Extract<ParsedFetch, { kind: 'root' }>,
    variables: Json,
    context: unknown,
  ): Promise<GraphQLPayload> {
    const data: Json = {};
    const errors: GraphQLWireError[] = [];
    const map = this.options.shards();
    const perShard = new Map<Shard, FieldNode[]>();
    const plans: {
      root: RootField;
      shards: Shard[];
      positions?: Positions;
      first?: number;
      args?: Json;
    }[] = [];

    for (const root of fetch.fields) {
      const { field, key, rule } = root;
      try {
        switch (rule.kind) {
          case 'typename':
            data[key] = fetch.operation.operation === 'mutation' ? 'Mutation' : 'Query';
            continue;
          case 'route-by-id':
          case 'route-by-municipality': {
            const value = argumentValue(field, rule.arg, variables);
            const blind = blindShard(rule, value, map);
            if (blind) {
              plans.push({ root, shards: [blind] });
              add(perShard, blind, field);
              continue;
            }
            const code =
              rule.kind === 'route-by-id' ? routedOwner(value, rule.arg) : routedCode(value, rule.arg);
            const shard = map.shardOf(code);
            if (!shard) {
              const why = unrouted(map, code);
              throw crossgateError(why.code, why.message, { municipality: code });
            }
            plans.push({ root, shards: [shard] });
            add(perShard, shard, field);
            continue;
          }
          case 'connection': {
            const first = checkPageSize(
              argumentValue(field, 'first', variables) as number | null | undefined,
            );
            const after = argumentValue(field, 'after', variables);
            const positions = typeof after === 'string' && after ? decodeRegionCursor(after) : {};
            const shards = map.inScope(
              scopeArgument(argumentValue(field, rule.scopeArg, variables), rule.scopeArg),
            );
            plans.push({ root, shards, positions, first });
            for (const shard of shards) {
              const position = positionOf(positions, shard.id);
              const shardField = withSelections(
                withArgument(
                  withArgument(field, 'first', first),
                  'after',
                  position ? encodeKeyCursor(position) : null,
                ),
                CONNECTION_EXTRAS,
              );
              add(perShard, shard, shardField);
            }
            continue;
          }
          case 'concat': {
            const shards = map.inScope(
              scopeArgument(argumentValue(field, rule.scopeArg, variables), rule.scopeArg),
            );
            plans.push({ root, shards });
            const extras = orderSelections(rule.orderBy);
            for (const shard of shards) add(perShard, shard, withSelections(field, extras));
            continue;
          }
          case 'aggregate': {
            const args = fieldArguments(field, variables);
            this.aggregateReport(rule.report).validate(args);
            const shards = map.inScope(scopeArgument(args[rule.scopeArg], rule.scopeArg));
            plans.push({ root, shards, args });
            for (const shard of shards) add(perShard, shard, aggregateShardField(field, rule));
            continue;
          }
        }
      } catch (e) {
        data[key] = null;
        errors.push(fromThrown(e, [key]));
      }
    }

    const answers = new Map<Shard | RootField, GraphQLPayload | ShardFailure>();
    const send = async (shard: Shard, fields: FieldNode[]) => {
      const doc = documentFor(fetch.operation, fields, fetch.fragments);
      return this.call(shard, doc.text, pickVariables(variables, doc.variables), context);
    };
    if (fetch.operation.operation === 'mutation') {
      // One call per mutation field, in document order, each to its one shard; never in parallel.
      for (const plan of plans) {
        const shard = plan.shards[0];
        if (shard) answers.set(plan.root, await send(shard, [plan.root.field]));
      }
    } else {
      await Promise.all(
        [...perShard].map(async ([shard, fields]) => answers.set(shard, await send(shard, fields))),
      );
    }

    for (const plan of plans) {
      const { key } = plan.root;
      const results: ShardResult[] = [];
      const failed: Shard[] = [];
      for (const shard of plan.shards) {
        const answer = answers.get(fetch.operation.operation === 'mutation' ? plan.root : shard);
        if (!answer || !isPayload(answer)) {
          const failure = answer as ShardFailure;
          errors.push(wire(failure.code, failure.message, [key], { municipality: shard.id }));
          failed.push(shard);
          continue;
        }
        const mine = (answer.errors ?? []).filter((e) => !e.path || e.path[0] === key);
        results.push({ shard, value: answer.data?.[key] ?? null, errors: mine });
      }
      const rule = plan.root.rule;
      if (rule.kind === 'connection') {
        const shape = plan.root.connection as ConnectionShape;
        const merged = mergeConnection(key, shape, results, plan.positions ?? {}, plan.first ?? 0, failed);
        data[key] = merged.value;
        errors.push(...merged.errors);
      } else if (rule.kind === 'concat') {
        const merged = mergeConcat(key, results, rule.orderBy.length);
        data[key] = merged.value;
        errors.push(...merged.errors);
      } else if (rule.kind === 'aggregate') {
        for (const r of results) for (const e of r.errors) errors.push(clean(e, r.shard, [key]));
        const report = this.aggregateReport(rule.report);
        const values = results.map((r) => r.value);
        const merged = await mergeAggregate(
          plan.root.field,
          rule,
          report,
          plan.args ?? {},
          values,
          fetch.fragments,
          { ask: (codes, query, vars) => this.ask(codes, query, vars, context), context },
        );
        data[key] = merged.value;
        errors.push(...merged.errors);
      } else {
        const only = results[0];
        data[key] = only?.value ?? null;
        for (const e of only?.errors ?? []) errors.push(clean(e, only?.shard));
      }
    }
    return { data, ...(errors.length ? { errors } : {}) };
  }

  /** A finisher's own request: `query` to every shard in scope, each with its own variables. */
  private ask(
    codes: readonly string[] | null,
    query: string,
    variables: (shard: Shard) => Json,
    context: unknown,
  ): Promise<ShardReply[]> {
    const shards = this.options.shards().inScope(codes);
    return Promise.all(
      shards.map(async (shard): Promise<ShardReply> => {
        const answer = await this.call(shard, query, variables(shard), context);
        if (!isPayload(answer)) {
          return {
            shard,
            data: null,
            errors: [wire(answer.code, answer.message, undefined, { municipality: shard.id })],
          };
        }
        return {
          shard,
          data: (answer.data as Json | null | undefined) ?? null,
          errors: (answer.errors ?? []).map((e) => clean(e, shard)),
        };
      }),
    );
  }

  private aggregateReport(name: string): AggregateReport {
    const report = this.options.aggregates?.[name];
    if (!report) throw new Error(`No aggregate report '${name}' is configured`);
    return report;
  }

  private async healthCheck(query: string, context: unknown): Promise<GraphQLPayload> {
    const shards = this.options.shards().shards;
    const answers = await Promise.all(shards.map((s) => this.call(s, query, {}, context)));
    const errors = answers.flatMap((a, i) =>
      isPayload(a) ? [] : [wire(a.code, a.message, undefined, { municipality: shards[i]?.id })],
    );
    const first = answers.find(isPayload);
    return { data: first?.data ?? {}, ...(errors.length ? { errors } : {}) };
  }
}

function add(perShard: Map<Shard, FieldNode[]>, shard: Shard, field: FieldNode) {
  perShard.set(shard, [...(perShard.get(shard) ?? []), field]);
}

/** The shard that answers an id no member owns, for fields whose answer must not tell such ids apart. */
function blindShard(rule: MergeRule, value: unknown, map: ShardMap): Shard | undefined {
  if (rule.kind !== 'route-by-id' || rule.unroutable !== 'any-shard') return undefined;
  const owner = typeof value === 'string' && parseGlobalId(value) ? ownerOf(value) : undefined;
  // A member's id, even a suspended member's, routes as usual and fails with its own code.
  if (owner && (map.shardOf(owner) || map.excluded(owner) !== undefined)) return undefined;
  return map.inScope(null)[0];
}

/** Why a code has no shard: not a member, suspended, or refused admission. */
function unrouted(map: ShardMap, code: string): { code: ErrorCode; message: string } {
  switch (map.excluded(code)) {
    case 'suspended':
      return { code: 'MUNICIPALITY_SUSPENDED', message: `Municipality ${code} is suspended` };
    case 'refused':
      return {
        code: 'MUNICIPALITY_UNAVAILABLE',
        message: `Municipality ${code} is not admitted to the region`,
      };
    case undefined:
      return { code: 'UNKNOWN_MUNICIPALITY', message: `No member municipality '${code.slice(0, 8)}'` };
  }
}

function routedCode(value: unknown, arg: string): string {
  return municipalityCodeArgument(value, arg);
}

function routedOwner(value: unknown, arg: string): string {
  if (typeof value !== 'string' || !parseGlobalId(value)) {
    throw crossgateError(
      'INVALID_ID',
      `Argument ${arg} must be an id of the form <MUNICIPALITY>:<local id>; received ${JSON.stringify(value)?.slice(0, 80)}`,
      {
        argumentName: arg,
      },
    );
  }
  return ownerOf(value) as string;
}

function isPayload(x: GraphQLPayload | ShardFailure | undefined): x is GraphQLPayload {
  return !!x && !('code' in x && 'message' in x && !('data' in x) && !('errors' in x));
}
