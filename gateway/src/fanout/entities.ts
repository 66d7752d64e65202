// Entity fetches (`_entities`): representations split by the owner in their id, deduplicated per
// shard, one batched call per shard in parallel, answers put back in their original slots.
import { CODES } from '../../../schema/errors';
import { ownerOf } from '../../../schema/ids';
import type { GraphQLPayload, GraphQLWireError } from '../datasources/http-client';
import { unrouted } from './routing';
import type { ShardAnswer, ShardCall, ShardFailureCode } from './shard-call';
import { clean, wire } from './shard-errors';
import type { Shard, ShardMap } from './shards';

type Json = Record<string, unknown>;

/** One shard's share of the representations: each distinct one once, with every slot it fills. */
interface OwnerBatch {
  reps: Json[];
  indices: number[][];
  seen: Map<string, number>;
}

export interface EntityRouting {
  map: ShardMap;
  call: ShardCall;
  /** Counts a shard's malformed entity list against its circuit. */
  recordMalformed(shard: Shard): void;
}

export async function routeEntities(
  query: string,
  variables: Json,
  context: unknown,
  routing: EntityRouting,
): Promise<GraphQLPayload> {
  const representations = Array.isArray(variables.representations)
    ? (variables.representations as Json[])
    : [];
  const slots: unknown[] = representations.map(() => null);
  const errors: GraphQLWireError[] = [];
  const batches = batchByOwner(representations, routing.map, errors);
  await Promise.all(
    [...batches].map(async ([shard, batch]) => {
      const answer = await routing.call(shard, query, { ...variables, representations: batch.reps }, context);
      const failure = failureOf(shard, batch, answer);
      if (failure) {
        // A malformed answer counts against the shard's circuit like a failed call.
        if (answer.ok) routing.recordMalformed(shard);
        for (const i of batch.indices.flat())
          errors.push(wire(failure.code, failure.message, ['_entities', i], { municipality: shard.id }));
        return;
      }
      if (!answer.ok) return;
      const entities = answer.payload.data?._entities;
      batch.indices.forEach((idxs, j) => {
        for (const i of idxs) slots[i] = Array.isArray(entities) ? (entities[j] ?? null) : null;
      });
      for (const e of answer.payload.errors ?? []) {
        const path = e.path;
        const localSlot = path?.[0] === '_entities' && typeof path[1] === 'number' ? path[1] : undefined;
        const targets = localSlot !== undefined ? (batch.indices[localSlot] ?? []) : batch.indices.flat();
        for (const i of targets) errors.push(clean(e, shard, ['_entities', i, ...(path?.slice(2) ?? [])]));
      }
    }),
  );
  return { data: { _entities: slots }, ...(errors.length ? { errors } : {}) };
}

/** Groups representations by owner shard; an item without a routable owner fails alone. */
function batchByOwner(representations: Json[], map: ShardMap, errors: GraphQLWireError[]) {
  const batches = new Map<Shard, OwnerBatch>();
  representations.forEach((rep, index) => {
    const owner = ownerOf(rep.id);
    const shard = owner ? map.shardOf(owner) : undefined;
    if (!shard) {
      const why = owner ? unrouted(map, owner) : { code: CODES.INVALID_ID, message: 'Malformed id' };
      errors.push(
        wire(why.code, `${why.message}: ${JSON.stringify(rep.id)?.slice(0, 80)}`, ['_entities', index], {
          ...(owner ? { municipality: owner } : {}),
        }),
      );
      return;
    }
    const batch = batches.get(shard) ?? { reps: [], indices: [], seen: new Map<string, number>() };
    batches.set(shard, batch);
    const dedupe = JSON.stringify(rep);
    const slot = batch.seen.get(dedupe);
    if (slot !== undefined) {
      batch.indices[slot]?.push(index);
    } else {
      batch.seen.set(dedupe, batch.reps.length);
      batch.reps.push(rep);
      batch.indices.push([index]);
    }
  });
  return batches;
}

/**
 * Why a shard's batch has no entities: its call failed, or it answered a list of the wrong length.
 * Null when the answer is usable, including an answer of errors alone (they are passed through).
 */
function failureOf(
  shard: Shard,
  batch: OwnerBatch,
  answer: ShardAnswer,
): { code: ShardFailureCode; message: string } | null {
  if (!answer.ok) return answer;
  const entities = answer.payload.data?._entities;
  if (Array.isArray(entities) && entities.length === batch.reps.length) return null;
  if (entities === undefined && answer.payload.errors?.length) return null;
  return {
    code: CODES.MUNICIPALITY_UNAVAILABLE,
    message: `Municipality ${shard.id} answered a malformed entity list`,
  };
}
