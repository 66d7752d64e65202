// The concat merge rule: every shard in scope asked with the rule's sort fields added, the lists
// concatenated in the global order of those fields.
import { compareSortKeys } from '../../../schema/cursor';
import { scopeArgument } from '../../../schema/scope';
import type { GraphQLWireError } from '../datasources/http-client';
import { INTERNAL } from './merge-connection';
import type { MergeRuleHandler, ShardResult } from './rule-handler';
import type { MergeRule } from './rules';
import { argumentValue, extraSelections, withSelections } from './selections';
import { clean } from './shard-errors';

type Json = Record<string, unknown>;

export type ConcatRule = Extract<MergeRule, { kind: 'concat' }>;

export const concatRule: MergeRuleHandler<ConcatRule, undefined> = {
  plan(rule, field, { map, variables }) {
    const shards = map.inScope(scopeArgument(argumentValue(field, rule.scopeArg, variables), rule.scopeArg));
    const sent = withSelections(field, orderSelections(rule.orderBy));
    return { calls: shards.map((shard) => ({ shard, field: sent })), state: undefined };
  },
  merge(rule, _plan, { key, results }) {
    return mergeConcat(key, results, rule.orderBy.length);
  },
};

/** The aliased sort fields added to each shard's selection (stripped again when merging). */
export function orderSelections(orderBy: readonly string[]) {
  return extraSelections(orderBy.map((f, i) => `${INTERNAL}o${i}: ${f}`).join(' '));
}

/** Concatenates shard lists in the global order of the injected sort fields. */
export function mergeConcat(key: string, results: ShardResult[], keyCount: number) {
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
        errors.push(clean(e, r.shard, Array.isArray(r.value) ? undefined : [key]));
      }
    }
  });
  const anyValue = results.some((r) => Array.isArray(r.value));
  return { value: anyValue || results.length === 0 ? value : null, errors };
}
