// The municipal fan-out: one logical subgraph to the planner, a set of municipal shards behind it.
// Entity fetches are routed by id prefix; root fields follow their declared merge rule.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import {
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import { checkPageSize, decodeKeyCursor } from '../../../schema/cursor';
import { crossgateError, type ErrorCode } from '../../../schema/errors';
import { MUNICIPALITY_CODE, ownerOf, parseGlobalId } from '../../../schema/ids';
import { compareSortKeys } from '../../../subgraphs/municipal/store';
import type {
  CallOutcome,
  GraphQLPayload,
  GraphQLWireError,
  SubgraphHttpClient,
} from '../datasources/http-client';
import { isRead } from '../datasources/http-client';
import { type AggregateReport, aggregateShardField, fieldArguments, mergeAggregate } from './aggregate';
import { decodeRegionCursor, encodeRegionCursor, type Positions } from './cursor';
import { MERGE_RULES, type MergeRule, type MunicipalSubgraph } from './rules';
import {
  argumentValue,
  documentFor,
  extraSelections,
  type Fragments,
  flattenFields,
  pickVariables,
  responseKey,
  selectionsOf,
  withArgument,
  withSelections,
} from './selections';
import type { Shard, ShardMap } from './shards';

type Json = Record<string, unknown>;
type Path = (string | number)[];

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
  /** Finishers of the aggregate rules, by the name a rule gives in `report`. */
  aggregates?: Record<string, AggregateReport>;
}

const CONNECTION_EXTRAS = extraSelections(
  '_cg_edges: edges { _cg_cursor: cursor } _cg_info: pageInfo { hasNextPage endCursor } _cg_total: totalCount',
);
const INTERNAL = '_cg_';

interface ConnectionShape {
  edges: { key: string; cursorKeys: string[] }[];
  totalKeys: string[];
  pageInfo: { key: string; hasNextPageKeys: string[]; endCursorKeys: string[] }[];
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
        const rule = MERGE_RULES[this.options.subgraph][`${typeName}.${field.name.value}`];
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
    const outcome = await this.options.http.post(shard.url, body, headers, this.options.timeoutMs, {
      idempotent: isRead(query),
    });
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
        errors.push(
          wire(
            owner ? 'UNKNOWN_MUNICIPALITY' : 'INVALID_ID',
            owner
              ? `No member municipality '${owner}' serves ${String(rep.id)}`
              : `Malformed id ${JSON.stringify(rep.id)}`,
            ['_entities', index],
            owner ? { municipality: owner } : {},
          ),
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
                  message: `Municipality ${shard.id} answered garbage`,
                }
            : answer;
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
            const code = rule.kind === 'route-by-id' ? routedOwner(value, rule.arg) : String(value);
            const shard = map.shardOf(code);
            if (!shard)
              throw crossgateError('UNKNOWN_MUNICIPALITY', `No member municipality '${code}'`, {
                municipality: code,
              });
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
            const shards = map.inScope(scope(argumentValue(field, rule.scopeArg, variables), rule.scopeArg));
            plans.push({ root, shards, positions, first });
            for (const shard of shards) {
              const shardField = withSelections(
                withArgument(withArgument(field, 'first', first), 'after', positions[shard.id] ?? null),
                CONNECTION_EXTRAS,
              );
              add(perShard, shard, shardField);
            }
            continue;
          }
          case 'concat': {
            const shards = map.inScope(scope(argumentValue(field, rule.scopeArg, variables), rule.scopeArg));
            plans.push({ root, shards });
            const extras = extraSelections(rule.orderBy.map((f, i) => `${INTERNAL}o${i}: ${f}`).join(' '));
            for (const shard of shards) add(perShard, shard, withSelections(field, extras));
            continue;
          }
          case 'aggregate': {
            const args = fieldArguments(field, variables);
            this.aggregateReport(rule.report).validate(args);
            const shards = map.inScope(scope(args[rule.scopeArg], rule.scopeArg));
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

    const answers = new Map<Shard, GraphQLPayload | ShardFailure>();
    const calls = [...perShard].map(async ([shard, fields]) => {
      const doc = documentFor(fetch.operation, fields, fetch.fragments);
      answers.set(shard, await this.call(shard, doc.text, pickVariables(variables, doc.variables), context));
    });
    if (fetch.operation.operation === 'mutation') {
      for (const c of calls) await c;
    } else {
      await Promise.all(calls);
    }

    for (const plan of plans) {
      const { key } = plan.root;
      const results: { shard: Shard; value: unknown; errors: GraphQLWireError[] }[] = [];
      for (const shard of plan.shards) {
        const answer = answers.get(shard);
        if (!answer || !isPayload(answer)) {
          const failure = answer as ShardFailure;
          errors.push(wire(failure.code, failure.message, [key], { municipality: shard.id }));
          continue;
        }
        const mine = (answer.errors ?? []).filter((e) => !e.path || e.path[0] === key);
        results.push({ shard, value: answer.data?.[key] ?? null, errors: mine });
      }
      const rule = plan.root.rule;
      if (rule.kind === 'connection') {
        const merged = mergeConnection(plan.root, results, plan.positions ?? {}, plan.first ?? 0);
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
        const merged = mergeAggregate(
          plan.root.field,
          rule,
          report,
          plan.args ?? {},
          values,
          fetch.fragments,
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

function scope(value: unknown, arg: string): string[] | null {
  if (value === undefined || value === null) return null;
  const list = Array.isArray(value) ? value : [value];
  for (const c of list) {
    if (typeof c !== 'string' || !MUNICIPALITY_CODE.test(c)) {
      throw crossgateError(
        'BAD_USER_INPUT',
        `${arg} must hold municipality codes such as "SB"; received ${JSON.stringify(c)?.slice(0, 40)}`,
        {
          argumentName: arg,
        },
      );
    }
  }
  return list as string[];
}

function connectionShape(field: FieldNode, fragments: Fragments): ConnectionShape {
  const set = field.selectionSet;
  return {
    edges: selectionsOf(set, 'edges', fragments).map((e) => ({
      key: responseKey(e),
      cursorKeys: selectionsOf(e.selectionSet, 'cursor', fragments).map(responseKey),
    })),
    totalKeys: selectionsOf(set, 'totalCount', fragments).map(responseKey),
    pageInfo: selectionsOf(set, 'pageInfo', fragments).map((p) => ({
      key: responseKey(p),
      hasNextPageKeys: selectionsOf(p.selectionSet, 'hasNextPage', fragments).map(responseKey),
      endCursorKeys: selectionsOf(p.selectionSet, 'endCursor', fragments).map(responseKey),
    })),
  };
}

interface ShardResult {
  shard: Shard;
  value: unknown;
  errors: GraphQLWireError[];
}

/** Merges connection pages: global order by sort key, `first` kept, per-shard positions advanced. */
function mergeConnection(root: RootField, results: ShardResult[], positions: Positions, first: number) {
  const shape = root.connection as ConnectionShape;
  const errors: GraphQLWireError[] = [];
  const live = results.filter((r) => r.value && typeof r.value === 'object') as (ShardResult & {
    value: Json;
  })[];
  for (const r of results) if (!r.value) for (const e of r.errors) errors.push(clean(e, r.shard));
  if (live.length === 0) return { value: results.length === 0 ? emptyConnection(shape) : null, errors };

  const candidates = live.flatMap((r, s) =>
    ((r.value._cg_edges as Json[] | undefined) ?? []).map((e, i) => {
      const cursor = String(e._cg_cursor);
      return { s, i, cursor, key: decodeKeyCursor(cursor) };
    }),
  );
  candidates.sort((a, b) => compareSortKeys(a.key, b.key) || a.s - b.s);
  const taken = candidates.slice(0, first);
  const next: Record<string, string> = { ...positions };
  const takenPerShard = live.map(() => 0);
  const edgeCursors: string[] = [];
  const wantsEdgeCursor = shape.edges.some((e) => e.cursorKeys.length > 0);
  for (const t of taken) {
    next[(live[t.s] as ShardResult).shard.id] = t.cursor;
    takenPerShard[t.s] = (takenPerShard[t.s] ?? 0) + 1;
    if (wantsEdgeCursor) edgeCursors.push(encodeRegionCursor(next));
  }
  for (const r of live) {
    const info = r.value._cg_info as Json | undefined;
    const edges = (r.value._cg_edges as unknown[] | undefined) ?? [];
    if (edges.length === 0 && typeof info?.endCursor === 'string') next[r.shard.id] = info.endCursor;
  }
  const hasNextPage = live.some((r, s) => {
    const returned = ((r.value._cg_edges as unknown[] | undefined) ?? []).length;
    return (takenPerShard[s] ?? 0) < returned || (r.value._cg_info as Json | undefined)?.hasNextPage === true;
  });
  const endCursor = taken.length > 0 ? encodeRegionCursor(next) : null;
  const total = live.reduce((n, r) => n + Number(r.value._cg_total ?? 0), 0);

  const template = (live[0] as { value: Json }).value;
  const merged: Json = {};
  for (const k of Object.keys(template)) {
    if (k.startsWith(INTERNAL)) continue;
    const edgeShape = shape.edges.find((e) => e.key === k);
    const infoShape = shape.pageInfo.find((p) => p.key === k);
    if (edgeShape) {
      merged[k] = taken.map((t, m) => {
        const edge = { ...(((live[t.s] as { value: Json }).value[k] as Json[])[t.i] as Json) };
        for (const ck of edgeShape.cursorKeys) edge[ck] = edgeCursors[m];
        return edge;
      });
    } else if (shape.totalKeys.includes(k)) {
      merged[k] = total;
    } else if (infoShape) {
      const info: Json = { ...(template[k] as Json) };
      for (const hk of infoShape.hasNextPageKeys) info[hk] = hasNextPage;
      for (const ek of infoShape.endCursorKeys) info[ek] = endCursor;
      merged[k] = info;
    } else {
      merged[k] = template[k];
    }
  }
  // Re-point item errors at the merged index; drop those of items the page did not keep.
  const mergedIndex = new Map(taken.map((t, m) => [`${t.s}:${t.i}`, m]));
  live.forEach((r, s) => {
    for (const e of r.errors) {
      const path = e.path ?? [];
      if (typeof path[1] === 'string' && path[1].startsWith(INTERNAL)) continue;
      const isEdge = shape.edges.some((x) => x.key === path[1]) && typeof path[2] === 'number';
      if (!isEdge) {
        errors.push(clean(e, r.shard));
        continue;
      }
      const m = mergedIndex.get(`${s}:${path[2]}`);
      if (m !== undefined)
        errors.push(clean(e, r.shard, [path[0] as string, path[1] as string, m, ...path.slice(3)]));
    }
  });
  return { value: merged, errors };
}

function emptyConnection(shape: ConnectionShape): Json {
  const out: Json = {};
  for (const e of shape.edges) out[e.key] = [];
  for (const t of shape.totalKeys) out[t] = 0;
  for (const p of shape.pageInfo) {
    const info: Json = {};
    for (const k of p.hasNextPageKeys) info[k] = false;
    for (const k of p.endCursorKeys) info[k] = null;
    out[p.key] = info;
  }
  return out;
}

/** Concatenates shard lists in the global order of the injected sort fields. */
function mergeConcat(key: string, results: ShardResult[], keyCount: number) {
  const errors: GraphQLWireError[] = [];
  const items = results.flatMap((r, s) =>
    Array.isArray(r.value)
      ? (r.value as Json[]).map((item, i) => ({
          s,
          i,
          item,
          key: Array.from({ length: keyCount }, (_, n) => String(item?.[`${INTERNAL}o${n}`] ?? '')),
        }))
      : [],
  );
  items.sort((a, b) => compareSortKeys(a.key, b.key) || a.s - b.s || a.i - b.i);
  const mergedIndex = new Map(items.map((x, m) => [`${x.s}:${x.i}`, m]));
  const value = items.map(({ item }) => {
    if (!item || typeof item !== 'object') return item;
    const out: Json = {};
    for (const [k, v] of Object.entries(item)) if (!k.startsWith(INTERNAL)) out[k] = v;
    return out;
  });
  results.forEach((r, s) => {
    for (const e of r.errors) {
      const path = e.path ?? [];
      if (typeof path[1] === 'number') {
        const m = mergedIndex.get(`${s}:${path[1]}`);
        if (m !== undefined) errors.push(clean(e, r.shard, [key, m, ...path.slice(2)]));
      } else {
        errors.push(clean(e, r.shard));
      }
    }
  });
  const anyValue = results.some((r) => Array.isArray(r.value));
  return { value: anyValue || results.length === 0 ? value : null, errors };
}

function isPayload(x: GraphQLPayload | ShardFailure | undefined): x is GraphQLPayload {
  return !!x && !('code' in x && 'message' in x && !('data' in x) && !('errors' in x));
}

function wire(
  code: ErrorCode,
  message: string,
  path: Path | undefined,
  extensions: Json = {},
): GraphQLWireError {
  return { message, ...(path ? { path } : {}), extensions: { ...extensions, code } };
}

/** A shard's error as the gateway may show it: no stack, no URL, the municipality named. */
function clean(e: GraphQLWireError, shard?: Shard, path?: Path): GraphQLWireError {
  const { stacktrace: _stack, exception: _exception, ...extensions } = e.extensions ?? {};
  return {
    message: e.message.replace(/https?:\/\/\S+/g, '<subgraph>'),
    ...(path ? { path } : e.path ? { path: e.path } : {}),
    extensions: { ...extensions, ...(shard && !extensions.municipality ? { municipality: shard.id } : {}) },
  };
}

function fromThrown(e: unknown, path: Path): GraphQLWireError {
  if (e instanceof GraphQLError) {
    return {
      message: e.message,
      path,
      extensions: { ...e.extensions, code: e.extensions.code ?? 'BAD_USER_INPUT' },
    };
  }
  return { message: 'Internal error in the fan-out', path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
