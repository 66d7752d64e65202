// The aggregate merge rule: every shard in scope asked for its grouped counts; the gateway sums them
// by group and hands the sums to the rule's report finisher (summing and finishers: aggregate.ts).

import { scopeArgument } from '../../../schema/scope';
import type { GraphQLWireError } from '../datasources/http-client';
import {
  type AggregateRule,
  aggregateShardField,
  fieldArguments,
  mergeAggregate,
  type ShardReply,
} from './aggregate';
import type { MergeInput, MergeRuleHandler } from './rule-handler';
import { clean, wire } from './shard-errors';
import type { Shard } from './shards';

type Json = Record<string, unknown>;

export const aggregateRule: MergeRuleHandler<AggregateRule, { args: Json }> = {
  plan(rule, field, { map, variables, report }) {
    const args = fieldArguments(field, variables);
    report(rule.report).validate(args);
    const shards = map.inScope(scopeArgument(args[rule.scopeArg], rule.scopeArg));
    const sent = aggregateShardField(field, rule);
    return { calls: shards.map((shard) => ({ shard, field: sent })), state: { args } };
  },
  async merge(rule, { state }, input) {
    const { key, field, fragments, results, context } = input;
    const errors: GraphQLWireError[] = [];
    for (const r of results) for (const e of r.errors) errors.push(clean(e, r.shard, [key]));
    const merged = await mergeAggregate(
      field,
      rule,
      input.report(rule.report),
      state.args,
      results.map((r) => r.value),
      fragments,
      { ask: (codes, query, vars) => ask(input, codes, query, vars), context },
    );
    return { value: merged.value, errors: [...errors, ...merged.errors] };
  },
};

/** A finisher's own request: `query` to every shard in scope, each with its own variables. */
function ask(
  { map, call, context }: MergeInput,
  codes: readonly string[] | null,
  query: string,
  variables: (shard: Shard) => Json,
): Promise<ShardReply[]> {
  return Promise.all(
    map.inScope(codes).map(async (shard): Promise<ShardReply> => {
      const answer = await call(shard, query, variables(shard), context);
      if (!answer.ok) {
        return {
          shard,
          data: null,
          errors: [wire(answer.code, answer.message, undefined, { municipality: shard.id })],
        };
      }
      return {
        shard,
        data: (answer.payload.data as Json | null | undefined) ?? null,
        errors: (answer.payload.errors ?? []).map((e) => clean(e, shard)),
      };
    }),
  );
}
