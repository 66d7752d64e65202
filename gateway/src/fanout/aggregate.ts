// The aggregate-and-sum merge rule: every shard in scope returns raw counts grouped by keys (its
// own GROUP BY); the gateway sums them by group, then a report finisher shapes the answer.

import { type FieldNode, Kind, type SelectionSetNode, valueFromASTUntyped } from 'graphql';
import { CODES } from '../../../schema/errors';
import type { GraphQLWireError } from '../datasources/http-client';
import { keyReader, mergeGroups, type SummedGroup } from './group-merge';
import { extraSelections, type Fragments, flattenFields, responseKey } from './selections';
import { compileView, type ObjectView } from './views';

type Json = Record<string, unknown>;

export interface AggregateRule {
  kind: 'aggregate';
  /** The argument naming the municipalities whose shards hold the counted records. */
  scopeArg: string;
  /** The list field of grouped rows each shard returns. */
  rows: string;
  /** Dotted paths of the group keys in a row, e.g. "from.code". */
  keys: readonly string[];
  /** The counted field summed across shards. */
  sum: string;
  /** The finisher (in FanOutOptions.aggregates) that turns summed groups into the answer. */
  report: string;
}

export type { SummedGroup } from './group-merge';

/** One shard's answer to a finisher's own request: data, or why there is none. */
export interface ShardReply {
  shard: { id: string; codes: readonly string[] };
  data: Json | null;
  errors: GraphQLWireError[];
}

/** What a finisher may use beyond the sums: the client's selection, and further shard requests. */
export interface AggregateIO {
  /** Names of the fields the client selected directly on the answer. */
  selected: ReadonlySet<string>;
  /** Sends `query` to each shard holding any of `codes` (all when null), with its own variables. */
  ask(
    codes: readonly string[] | null,
    query: string,
    variables: (shard: { id: string; codes: readonly string[] }) => Json,
  ): Promise<ShardReply[]>;
  /** The request's context, for calls the finisher makes elsewhere (the registry). */
  context: unknown;
}

/**
 * The answer: either full objects carrying __typename, projected onto the client's selection, or
 * any value with the view that writes it into the selection directly (views.ts).
 */
export type FinishedReport =
  | { value: Json; errors: GraphQLWireError[]; view?: undefined }
  // biome-ignore lint/suspicious/noExplicitAny: a view is typed by the finisher that returns it
  | { value: any; errors: GraphQLWireError[]; view: ObjectView<any> };

/** Turns summed groups into the field's full answer. */
export interface AggregateReport {
  /** Throws a BAD_USER_INPUT GraphQLError before any shard is called. */
  validate(args: Json): void;
  finish(groups: readonly SummedGroup[], args: Json, io: AggregateIO): Json | Promise<FinishedReport>;
}

/** The field as sent to a shard: same arguments, only the grouped rows selected. */
export function aggregateShardField(field: FieldNode, rule: AggregateRule): FieldNode {
  const nest = (path: string): string => {
    const [head, ...rest] = path.split('.');
    return rest.length ? `${head} { ${nest(rest.join('.'))} }` : (head ?? '');
  };
  const selection = `${rule.rows} { ${[...rule.keys.map(nest), rule.sum].join(' ')} }`;
  return {
    ...field,
    alias: field.alias,
    selectionSet: { kind: Kind.SELECTION_SET, selections: extraSelections(selection) },
  };
}

/** Sums the shards' rows by group key, sorted by keys; rows that are not well-formed are counted as errors. */
export function sumGroups(
  rule: AggregateRule,
  values: readonly unknown[],
): { groups: SummedGroup[]; malformed: number } {
  const read = keyReader(rule.keys);
  const lists: SummedGroup[][] = [];
  let malformed = 0;
  for (const value of values) {
    const rows = (value as Json | null)?.[rule.rows];
    if (!Array.isArray(rows)) continue;
    const list: SummedGroup[] = [];
    for (const row of rows as Json[]) {
      const keys = read(row);
      const n = row?.[rule.sum];
      if (keys === null || typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        malformed++;
        continue;
      }
      list.push({ keys, sum: n });
    }
    lists.push(list);
  }
  return { groups: mergeGroups(lists), malformed };
}

/** Merges the shards' answers into the client's selection of the field. */
export async function mergeAggregate(
  field: FieldNode,
  rule: AggregateRule,
  report: AggregateReport,
  args: Json,
  values: readonly unknown[],
  fragments: Fragments,
  io: Omit<AggregateIO, 'selected'>,
): Promise<{ value: unknown; errors: GraphQLWireError[] }> {
  const { groups, malformed } = sumGroups(rule, values);
  const errors: GraphQLWireError[] = malformed
    ? [
        {
          message: `${malformed} aggregate rows from municipalities were malformed and left out`,
          path: [responseKey(field)],
          extensions: { code: CODES.MUNICIPALITY_UNAVAILABLE },
        },
      ]
    : [];
  const selected = new Set(flattenFields(field.selectionSet, fragments).map((f) => f.name.value));
  const finished = await report.finish(groups, args, { ...io, selected });
  const answer: FinishedReport =
    'value' in finished && 'errors' in finished
      ? (finished as FinishedReport)
      : { value: finished as Json, errors: [] };
  errors.push(...answer.errors.map((e) => ({ ...e, path: [responseKey(field)] })));
  const value = answer.view
    ? compileView(answer.view, field.selectionSet, fragments)(answer.value, 0)
    : project(answer.value, field.selectionSet, fragments);
  return { value, errors };
}

/** Keeps what the selection asks for, under its response keys; __typename from the object. */
export function project(value: unknown, set: SelectionSetNode | undefined, fragments: Fragments): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => project(v, set, fragments));
  if (!set || typeof value !== 'object') return value;
  const source = value as Json;
  const byKey = new Map<string, FieldNode[]>();
  for (const f of flattenFields(set, fragments))
    byKey.set(responseKey(f), [...(byKey.get(responseKey(f)) ?? []), f]);
  const out: Json = {};
  for (const [key, fields] of byKey) {
    const first = fields[0] as FieldNode;
    const name = first.name.value;
    const merged: SelectionSetNode | undefined = fields.some((f) => f.selectionSet)
      ? { kind: Kind.SELECTION_SET, selections: fields.flatMap((f) => f.selectionSet?.selections ?? []) }
      : undefined;
    out[key] = project(source[name], merged, fragments);
  }
  return out;
}

/** Every argument of the field, with variables substituted. */
export function fieldArguments(field: FieldNode, variables: Json): Json {
  return Object.fromEntries(
    (field.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, variables)]),
  );
}
