// The connection merge rule: every shard in scope asked for `first` after its own position in the
// cursor, the pages merged in the global order of their sort keys.
import type { FieldNode } from 'graphql';
import {
  type CursorKey,
  checkPageSize,
  compareSortKeys,
  decodeKeyCursor,
  encodeKeyCursor,
} from '../../../schema/cursor';
import { scopeArgument } from '../../../schema/scope';
import type { GraphQLWireError } from '../datasources/http-client';
import { decodeRegionCursor, encodeRegionCursor, type Positions, positionOf } from './cursor';
import type { MergeRuleHandler, ShardResult } from './rule-handler';
import type { MergeRule } from './rules';
import {
  argumentValue,
  extraSelections,
  type Fragments,
  responseKey,
  selectionsOf,
  withArgument,
  withSelections,
} from './selections';
import { clean } from './shard-errors';
import type { Shard } from './shards';

type Json = Record<string, unknown>;

export type { ShardResult };
export type ConnectionRule = Extract<MergeRule, { kind: 'connection' }>;

export const connectionRule: MergeRuleHandler<ConnectionRule, { positions: Positions; first: number }> = {
  plan(rule, field, { map, variables }) {
    const first = checkPageSize(argumentValue(field, 'first', variables) as number | null | undefined);
    const after = argumentValue(field, 'after', variables);
    const positions = typeof after === 'string' && after ? decodeRegionCursor(after) : {};
    const shards = map.inScope(scopeArgument(argumentValue(field, rule.scopeArg, variables), rule.scopeArg));
    const calls = shards.map((shard) => {
      const position = positionOf(positions, shard.id);
      const paged = withArgument(
        withArgument(field, 'first', first),
        'after',
        position ? encodeKeyCursor(position) : null,
      );
      return { shard, field: withSelections(paged, CONNECTION_EXTRAS) };
    });
    return { calls, state: { positions, first } };
  },
  merge(_rule, { state }, { key, field, fragments, results, failed }) {
    return mergeConnection(key, shapeOf(field, fragments), results, state.positions, state.first, failed);
  },
};

/** Shapes by field node: the nodes come from the parse cache, so each selection is read once. */
const shapes = new WeakMap<FieldNode, ConnectionShape>();
function shapeOf(field: FieldNode, fragments: Fragments): ConnectionShape {
  let shape = shapes.get(field);
  if (!shape) {
    shape = connectionShape(field, fragments);
    shapes.set(field, shape);
  }
  return shape;
}

/** Prefix of the selections the fan-out adds to a shard query and strips from its answer. */
export const INTERNAL = '_cg_';

/** What the merge needs from every shard, whatever the client selected. */
export const CONNECTION_EXTRAS = extraSelections(
  '_cg_edges: edges { _cg_cursor: cursor } _cg_info: pageInfo { hasNextPage endCursor } _cg_total: totalCount',
);

/** Where the client's selection put edges, cursors, totals and page info (under its aliases). */
export interface ConnectionShape {
  edges: { key: string; cursorKeys: string[] }[];
  totalKeys: string[];
  pageInfo: { key: string; hasNextPageKeys: string[]; endCursorKeys: string[]; missingKeys: string[] }[];
}

export function connectionShape(field: FieldNode, fragments: Fragments): ConnectionShape {
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
      missingKeys: selectionsOf(p.selectionSet, 'missingMunicipalities', fragments).map(responseKey),
    })),
  };
}

/**
 * Merges connection pages: global order by sort key, `first` kept, totals summed, and for
 * every shard the key of the last record taken from it carried in the next cursor. While a
 * shard's part is missing, the page says so: `hasNextPage` stays true, `missingMunicipalities`
 * names its codes, and `endCursor` keeps its old position.
 */
export function mergeConnection(
  key: string,
  shape: ConnectionShape,
  results: ShardResult[],
  positions: Positions,
  first: number,
  /** Shards in scope that did not answer: they keep their position, so a later page catches up. */
  failed: readonly Shard[] = [],
): { value: Json | null; errors: GraphQLWireError[] } {
  const errors: GraphQLWireError[] = [];
  const live = results.filter((r) => r.value && typeof r.value === 'object') as (ShardResult & {
    value: Json;
  })[];
  for (const r of results) if (!r.value) for (const e of r.errors) errors.push(clean(e, r.shard, [key]));
  const missingShards = [...failed, ...results.filter((r) => !live.includes(r as never)).map((r) => r.shard)];
  const missing = missingShards.flatMap((shard) => shard.codes).sort();
  const next: Record<string, CursorKey | null> = { ...positions };
  for (const shard of missingShards) next[shard.id] = positionOf(positions, shard.id);
  if (live.length === 0) {
    if (results.length > 0) return { value: null, errors };
    const empty = emptyConnection(shape, missing);
    if (missing.length)
      for (const p of shape.pageInfo)
        for (const k of p.endCursorKeys) (empty[p.key] as Json)[k] = encodeRegionCursor(next);
    return { value: empty, errors };
  }

  const candidates: { s: number; i: number; key: CursorKey }[] = [];
  live.forEach((r, s) => {
    ((r.value._cg_edges as Json[] | undefined) ?? []).forEach((e, i) => {
      try {
        candidates.push({ s, i, key: decodeKeyCursor(String(e._cg_cursor)) });
      } catch {
        errors.push(clean({ message: 'A municipality returned an unreadable cursor' }, r.shard, [key]));
      }
    });
  });
  candidates.sort((a, b) => compareSortKeys(a.key, b.key) || a.s - b.s);
  const taken = candidates.slice(0, first);
  const takenPerShard = live.map(() => 0);
  const edgeCursors: string[] = [];
  const wantsEdgeCursor = shape.edges.some((e) => e.cursorKeys.length > 0);
  for (const t of taken) {
    next[(live[t.s] as ShardResult).shard.id] = t.key;
    takenPerShard[t.s] = (takenPerShard[t.s] ?? 0) + 1;
    if (wantsEdgeCursor) edgeCursors.push(encodeRegionCursor(next));
  }
  const hasMore = live.some((r, s) => {
    const returned = ((r.value._cg_edges as unknown[] | undefined) ?? []).length;
    return (takenPerShard[s] ?? 0) < returned || (r.value._cg_info as Json | undefined)?.hasNextPage === true;
  });
  const hasNextPage = hasMore || missing.length > 0;
  const endCursor = taken.length > 0 || missing.length > 0 ? encodeRegionCursor(next) : null;
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
      for (const mk of infoShape.missingKeys) info[mk] = missing;
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
      if (m !== undefined) errors.push(clean(e, r.shard, [key, path[1] as string, m, ...path.slice(3)]));
    }
  });
  return { value: merged, errors };
}

/** A connection with no edges: no shard in scope, or (with `missing`) none of them answered. */
export function emptyConnection(shape: ConnectionShape, missing: readonly string[] = []): Json {
  const out: Json = {};
  for (const e of shape.edges) out[e.key] = [];
  for (const t of shape.totalKeys) out[t] = 0;
  for (const p of shape.pageInfo) {
    const info: Json = {};
    for (const k of p.hasNextPageKeys) info[k] = missing.length > 0;
    for (const k of p.endCursorKeys) info[k] = null;
    for (const k of p.missingKeys) info[k] = [...missing];
    out[p.key] = info;
  }
  return out;
}
