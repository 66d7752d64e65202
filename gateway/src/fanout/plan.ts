// Plan building for root fields: each field's merge rule, looked up by kind in one checked table,
// decides its shard calls; fields bound for the same shard share one request.
import type { FieldNode } from 'graphql';
import type { GraphQLWireError } from '../datasources/http-client';
import { aggregateRule } from './merge-aggregate';
import { concatRule } from './merge-concat';
import { connectionRule } from './merge-connection';
import { gatewayRule } from './merge-gateway';
import { routeRule } from './merge-route';
import type { RootFetch, RootField } from './parsed-fetch';
import type { Merged, MergeInput, MergeRuleHandler, PlanContext } from './rule-handler';
import type { MergeRule } from './rules';
import { fromThrown } from './shard-errors';
import type { Shard } from './shards';

type Json = Record<string, unknown>;

/** A root field planned: its shard calls, and its rule's merge bound to the plan. */
export interface PlannedField {
  root: RootField;
  calls: { shard: Shard; field: FieldNode }[];
  merge(input: Omit<MergeInput, 'key' | 'field'>): Merged | Promise<Merged>;
}

type Planner<R extends MergeRule> = (rule: R, root: RootField, context: PlanContext) => PlannedField;

function planner<R extends MergeRule, S>(handler: MergeRuleHandler<R, S>): Planner<R> {
  return (rule, root, context) => {
    const plan = handler.plan(rule, root.field, context);
    return {
      root,
      calls: plan.calls,
      merge: (input) => handler.merge(rule, plan, { ...input, key: root.key, field: root.field }),
    };
  };
}

/** Every rule kind has its handler: a kind without one does not compile. */
const RULES: { [K in MergeRule['kind']]: Planner<Extract<MergeRule, { kind: K }>> } = {
  'route-by-id': planner(routeRule),
  'route-by-municipality': planner(routeRule),
  connection: planner(connectionRule),
  concat: planner(concatRule),
  aggregate: planner(aggregateRule),
  gateway: planner(gatewayRule),
};

function planField(rule: MergeRule, root: RootField, context: PlanContext): PlannedField {
  return (RULES[rule.kind] as Planner<MergeRule>)(rule, root, context);
}

export interface RootPlan {
  /** Answers known without a shard: `__typename`, and null for fields whose input was refused. */
  data: Json;
  errors: GraphQLWireError[];
  fields: PlannedField[];
  /** The fields each shard gets, in plan order (queries only: a mutation sends one field per call). */
  perShard: Map<Shard, FieldNode[]>;
}

export function buildPlan(fetch: RootFetch, context: PlanContext): RootPlan {
  const plan: RootPlan = { data: {}, errors: [], fields: [], perShard: new Map() };
  for (const root of fetch.fields) {
    const { rule, key } = root;
    if (rule.kind === 'typename') {
      plan.data[key] = fetch.operation.operation === 'mutation' ? 'Mutation' : 'Query';
      continue;
    }
    try {
      const planned = planField(rule, root, context);
      plan.fields.push(planned);
      for (const { shard, field } of planned.calls)
        plan.perShard.set(shard, [...(plan.perShard.get(shard) ?? []), field]);
    } catch (e) {
      plan.data[key] = null;
      plan.errors.push(fromThrown(e, [key]));
    }
  }
  return plan;
}
