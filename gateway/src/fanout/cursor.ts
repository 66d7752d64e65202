// The gateway's connection cursor: one base64url layer over [version, {shard id: last sort key taken}];
// null pins a shard that failed before anything was taken from it to the start.
import { badCursor, type CursorKey, compareSortKeys } from '../../../schema/cursor';

export type Positions = Readonly<Record<string, CursorKey | null>>;

export const REGION_CURSOR_VERSION = 1;
/** Longer cursors are rejected before decoding: a region of 64 shards fits easily. */
const MAX_CURSOR_LENGTH = 8192;
const SHARD_ID = /^[A-Z]{2,8}(\+[A-Z]{2,8})*$/;

export function encodeRegionCursor(positions: Positions): string {
  return Buffer.from(JSON.stringify([REGION_CURSOR_VERSION, positions])).toString('base64url');
}

/** Decodes a cursor this gateway issued; anything else is BAD_USER_INPUT naming the argument. */
export function decodeRegionCursor(cursor: string): Positions {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor(cursor);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor(cursor);
  }
  if (!Array.isArray(value) || value.length !== 2 || value[0] !== REGION_CURSOR_VERSION)
    throw badCursor(cursor);
  const p = value[1] as unknown;
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw badCursor(cursor);
  for (const [shard, key] of Object.entries(p)) {
    if (!SHARD_ID.test(shard) || (key !== null && !isSortKey(key))) throw badCursor(cursor);
  }
  return p as Positions;
}

function isSortKey(key: unknown): key is CursorKey {
  return (
    Array.isArray(key) &&
    key.length > 0 &&
    key.length <= 8 &&
    key.every(
      (v) => (typeof v === 'string' && v.length <= 256) || (typeof v === 'number' && Number.isFinite(v)),
    )
  );
}

/**
 * Where a shard resumes: after its own position (null: from the start). A shard the cursor does not name (it joined during the walk) resumes
 * after the greatest position: every record up to it has already been delivered, because each
 * page is a prefix of the global order.
 */
export function positionOf(positions: Positions, shardId: string): CursorKey | null {
  if (shardId in positions) return positions[shardId] ?? null;
  let max: CursorKey | null = null;
  for (const key of Object.values(positions)) if (key && (!max || compareSortKeys(key, max) > 0)) max = key;
  return max;
}
