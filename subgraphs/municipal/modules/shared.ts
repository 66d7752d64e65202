// Pieces both municipal subgraphs use: id ownership, shard scope, connections.
import { encodeKeyCursor } from '../../../schema/cursor';
import { crossgateError } from '../../../schema/errors';
import { MUNICIPALITY_CODE, parseGlobalId } from '../../../schema/ids';
import type { MunicipalContext } from '../context';
import type { Page } from '../store';

/** True when this server owns the id; a malformed id is the caller's error. */
export function ownedId(id: string, ctx: MunicipalContext): boolean {
  const parsed = parseGlobalId(id);
  if (!parsed) {
    throw crossgateError(
      'INVALID_ID',
      `Expected an id of the form <MUNICIPALITY>:<local id>; received ${JSON.stringify(id.slice(0, 80))}`,
    );
  }
  return ctx.store.municipalities.includes(parsed.municipality);
}

export function scopeOf(codes: readonly string[] | null | undefined, ctx: MunicipalContext): string[] | null {
  if (codes == null) return null;
  for (const c of codes) {
    if (!MUNICIPALITY_CODE.test(c)) {
      throw crossgateError(
        'BAD_USER_INPUT',
        `municipalities must hold municipality codes such as "SB"; received ${JSON.stringify(c.slice(0, 40))}`,
        {
          argumentName: 'municipalities',
        },
      );
    }
  }
  return codes.filter((c) => ctx.store.municipalities.includes(c));
}

/** A connection from a store page; unmappable records are reported and left out. */
export function connection<T>(page: Page<T>, ctx: MunicipalContext) {
  const edges = [];
  for (const item of page.items) {
    if (item.record instanceof Error) {
      ctx.recordErrors.push(item.record);
      continue;
    }
    edges.push({ cursor: encodeKeyCursor(item.key), node: item.record });
  }
  const last = page.items[page.items.length - 1];
  return {
    edges,
    pageInfo: { hasNextPage: page.hasMore, endCursor: last ? encodeKeyCursor(last.key) : null },
    totalCount: page.total,
  };
}
