// What every merge rule implements: how a root field is planned into shard calls, and how the
// shards' answers are merged back into the one answer the planner expects.
import type { FieldNode } from 'graphql';
import type { GraphQLWireError } from '../datasources/http-client';
import type { AggregateReport } from './aggregate';
import type { MergeRule } from './rules';
import type { Fragments } from './selections';
import type { ShardCall } from './shard-call';
import type { Shard, ShardMap } from './shards';

type Json = Record<string, unknown>;

/** A gateway answer: the field's full value (objects carry __typename) from its arguments. */
export interface GatewayAnswer {
  /** Throws a coded GraphQLError for bad arguments, before anything is done. */
  validate?(args: Json): void;
  /** `selected`: the names of the fields the planner asked of the answer (work for others can be skipped). */
  answer(args: Json, context: unknown, selected: ReadonlySet<string>): Promise<unknown>;
}

/** What planning may read: the routing table and the fetch's variables and fragments. */
export interface PlanContext {
  map: ShardMap;
  variables: Json;
  fragments: Fragments;
  /** The finisher of an aggregate rule; throws when none is configured under that name. */
  report(name: string): AggregateReport;
  /** The gateway's own answer of a 'gateway' rule; throws when none is configured under that name. */
  answer(name: string): GatewayAnswer;
}

/** A root field's shard calls (each with the field as that shard gets it) and what its merge needs. */
export interface FieldPlan<S> {
  calls: { shard: Shard; field: FieldNode }[];
  state: S;
}

/** One shard's answer for one root field: its value and the errors under that field. */
export interface ShardResult {
  shard: Shard;
  value: unknown;
  errors: GraphQLWireError[];
}

/** What merging may read beyond the plan: the answers, and a way to ask the shards again. */
export interface MergeInput {
  /** The field's response key in the fetch. */
  key: string;
  /** The field as the planner sent it. */
  field: FieldNode;
  fragments: Fragments;
  /** Shards that answered, in plan order. */
  results: ShardResult[];
  /** Shards in the plan without an answer; their errors are already reported at the field. */
  failed: Shard[];
  map: ShardMap;
  call: ShardCall;
  context: unknown;
  report(name: string): AggregateReport;
  answer(name: string): GatewayAnswer;
}

export interface Merged {
  value: unknown;
  errors: GraphQLWireError[];
}

export interface MergeRuleHandler<R extends MergeRule, S> {
  /** Throws a coded GraphQLError for bad input, before any shard is called. */
  plan(rule: R, field: FieldNode, context: PlanContext): FieldPlan<S>;
  merge(rule: R, plan: FieldPlan<S>, input: MergeInput): Merged | Promise<Merged>;
}
