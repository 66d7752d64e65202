// The 'gateway' merge rule: a root field the gateway answers itself, asking no shard; the answer's
// full value is cut down to the selection the planner sent.
import type { FieldNode, SelectionSetNode } from 'graphql';
import type { MergeRuleHandler } from './rule-handler';

export type { GatewayAnswer } from './rule-handler';

import type { MergeRule } from './rules';
import { argumentValue, type Fragments, flattenFields, responseKey } from './selections';

type Json = Record<string, unknown>;
type GatewayRule = Extract<MergeRule, { kind: 'gateway' }>;

/** The value as the selection asks for it: aliases applied, fields not asked for left out. */
export function project(value: unknown, set: SelectionSetNode | undefined, fragments: Fragments): unknown {
  if (!set || value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map((v) => project(v, set, fragments));
  const source = value as Json;
  const out: Json = {};
  for (const f of flattenFields(set, fragments)) {
    out[responseKey(f)] = project(source[f.name.value], f.selectionSet, fragments);
  }
  return out;
}

function argumentsOf(field: FieldNode, variables: Json): Json {
  return Object.fromEntries(
    (field.arguments ?? []).map((a) => [a.name.value, argumentValue(field, a.name.value, variables)]),
  );
}

export const gatewayRule: MergeRuleHandler<GatewayRule, Json> = {
  plan(rule, field, { variables, answer }) {
    const args = argumentsOf(field, variables);
    answer(rule.answer).validate?.(args);
    return { calls: [], state: args };
  },
  async merge(rule, plan, input) {
    const set = input.field.selectionSet;
    const selected = new Set(set ? flattenFields(set, input.fragments).map((f) => f.name.value) : []);
    const value = await input.answer(rule.answer).answer(plan.state, input.context, selected);
    return { value: project(value, input.field.selectionSet, input.fragments), errors: [] };
  },
};
