// Root fields of a fetch: planned by their rules, sent (a mutation's fields one at a time, in
// document order), and each field's answers merged by its rule.

import type { FieldNode } from 'graphql';
import type { GraphQLPayload, GraphQLWireError } from '../datasources/http-client';
import type { AggregateReport } from './aggregate';
import type { RootFetch } from './parsed-fetch';
import { buildPlan, type PlannedField } from './plan';
import type { GatewayAnswer, ShardResult } from './rule-handler';
import { documentFor, pickVariables } from './selections';
import type { CallIntent, ShardAnswer, ShardCall } from './shard-call';
import { wire } from './shard-errors';
import type { Shard, ShardMap } from './shards';

type Json = Record<string, unknown>;

export interface RootFieldDeps {
  map: ShardMap;
  call: ShardCall;
  report(name: string): AggregateReport;
  answer(name: string): GatewayAnswer;
}

export async function resolveRootFields(
  fetch: RootFetch,
  variables: Json,
  context: unknown,
  { map, call, report, answer }: RootFieldDeps,
): Promise<GraphQLPayload> {
  const plan = buildPlan(fetch, { map, variables, fragments: fetch.fragments, report, answer });
  const { data, errors } = plan;
  const send = (shard: Shard, fields: FieldNode[], intent?: CallIntent) => {
    const doc = documentFor(fetch.operation, fields, fetch.fragments);
    return call(shard, doc.text, pickVariables(variables, doc.variables), context, intent);
  };
  const mutation = fetch.operation.operation === 'mutation';
  /** Answers by shard for queries; by planned field for a mutation, whose fields go one by one. */
  const answers = new Map<Shard | PlannedField, ShardAnswer>();
  if (mutation) {
    for (const planned of plan.fields) {
      const target = planned.calls[0];
      if (target) answers.set(planned, await send(target.shard, [planned.root.field], writeIntent(planned)));
    }
  } else {
    await Promise.all(
      [...plan.perShard].map(async ([shard, fields]) => answers.set(shard, await send(shard, fields))),
    );
  }

  for (const planned of plan.fields) {
    const { key } = planned.root;
    const results: ShardResult[] = [];
    const failed: Shard[] = [];
    for (const { shard } of planned.calls) {
      const answer = answers.get(mutation ? planned : shard);
      if (!answer?.ok) {
        if (answer) errors.push(wire(answer.code, answer.message, [key], { municipality: shard.id }));
        failed.push(shard);
        continue;
      }
      const mine = (answer.payload.errors ?? []).filter(
        (e: GraphQLWireError) => !e.path || e.path[0] === key,
      );
      results.push({ shard, value: answer.payload.data?.[key] ?? null, errors: mine });
    }
    const merged = await planned.merge({
      fragments: fetch.fragments,
      results,
      failed,
      map,
      call,
      context,
      report,
      answer,
    });
    data[key] = merged.value;
    errors.push(...merged.errors);
  }
  return { data, ...(errors.length ? { errors } : {}) };
}

/** A write that carries an idempotency key may be sent again: the owner applies it once. */
function writeIntent(planned: PlannedField): CallIntent {
  const args = planned.root.field.arguments ?? [];
  return args.some((a) => a.name.value === 'idempotencyKey') ? 'idempotent-write' : 'write';
}
