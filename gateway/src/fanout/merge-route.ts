// The routed merge rules (by id, by municipality): one shard owns the answer, which passes through.
import type { FieldNode } from 'graphql';
import { crossgateError } from '../../../schema/errors';
import { municipalityCodeArgument, ownerOf, parseGlobalId } from '../../../schema/ids';
import { routedOwner, unrouted } from './routing';
import type { MergeRuleHandler } from './rule-handler';
import type { MergeRule } from './rules';
import { argumentValue } from './selections';
import { clean } from './shard-errors';
import type { Shard, ShardMap } from './shards';

export type RoutedRule = Extract<MergeRule, { kind: 'route-by-id' | 'route-by-municipality' }>;

export const routeRule: MergeRuleHandler<RoutedRule, undefined> = {
  plan(rule, field: FieldNode, { map, variables }) {
    const value = argumentValue(field, rule.arg, variables);
    const blind = blindShard(rule, value, map);
    if (blind) return { calls: [{ shard: blind, field }], state: undefined };
    const code =
      rule.kind === 'route-by-id' ? routedOwner(value, rule.arg) : municipalityCodeArgument(value, rule.arg);
    const shard = map.shardOf(code);
    if (!shard) {
      const why = unrouted(map, code);
      throw crossgateError(why.code, why.message, { municipality: code });
    }
    return { calls: [{ shard, field }], state: undefined };
  },
  merge(_rule, _plan, { results }) {
    const only = results[0];
    return {
      value: only?.value ?? null,
      errors: (only?.errors ?? []).map((e) => clean(e, only?.shard)),
    };
  },
};

/** The shard that answers an id no member owns, for fields whose answer must not tell such ids apart. */
function blindShard(rule: RoutedRule, value: unknown, map: ShardMap): Shard | undefined {
  if (rule.kind !== 'route-by-id' || rule.unroutable !== 'any-shard') return undefined;
  const owner = typeof value === 'string' && parseGlobalId(value) ? ownerOf(value) : undefined;
  // A member's id, even a suspended member's, routes as usual and fails with its own code.
  if (owner && (map.shardOf(owner) || map.excluded(owner) !== undefined)) return undefined;
  return map.inScope(null)[0];
}
