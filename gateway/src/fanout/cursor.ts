// The gateway's connection cursor: for every shard, the cursor of the last record taken from it.
import { badCursor, decodeJson } from '../../../schema/cursor';

export type Positions = Readonly<Record<string, string>>;

export function encodeRegionCursor(positions: Positions): string {
  return Buffer.from(JSON.stringify({ p: positions })).toString('base64url');
}

export function decodeRegionCursor(cursor: string): Positions {
  const value = decodeJson(cursor) as { p?: unknown } | null;
  const p = value && typeof value === 'object' ? value.p : undefined;
  if (
    !p ||
    typeof p !== 'object' ||
    Array.isArray(p) ||
    !Object.values(p).every((v) => typeof v === 'string')
  ) {
    throw badCursor(cursor);
  }
  return p as Positions;
}
