// A GraphQL connection built from a store page: edges with key cursors, unmappable records reported.
import { encodeKeyCursor } from '../../../schema/cursor';
import type { MunicipalContext } from '../context';
import type { Page } from '../store';

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
    pageInfo: {
      hasNextPage: page.hasMore,
      endCursor: last ? encodeKeyCursor(last.key) : null,
      // One municipality never misses its own part; the gateway fills this for a region.
      missingMunicipalities: [],
    },
    totalCount: page.total,
  };
}
