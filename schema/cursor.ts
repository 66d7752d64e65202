// Connection cursors. A shard's cursor encodes one record's sort key; the gateway's cursor
// encodes, for every shard, the cursor of the last record taken from it.
import { crossgateError } from './errors';

/**
 * Position of a record in its connection's total order. Elements compare in order: numbers
 * numerically, strings by UTF-16 code units; every store's SQL ordering must agree.
 */
export type CursorKey = readonly (string | number)[];

/** Compares two sort keys the way every store orders its SQL. */
export function compareSortKeys(a: CursorKey, b: CursorKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    const sx = String(x);
    const sy = String(y);
    if (sx !== sy) return sx < sy ? -1 : 1;
  }
  return a.length - b.length;
}

export function encodeKeyCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeKeyCursor(cursor: string): CursorKey {
  const value = decodeJson(cursor);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    throw badCursor(cursor);
  }
  return value;
}

export function decodeJson(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor(cursor);
  }
}

export function badCursor(cursor: string) {
  return crossgateError(
    'BAD_USER_INPUT',
    `Cursor ${JSON.stringify(cursor.slice(0, 80))} is not a cursor this API issued`,
    {
      argumentName: 'after',
    },
  );
}

export const MAX_PAGE_SIZE = 100;

export function checkPageSize(first: number | null | undefined, fallback = 20): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE_SIZE) {
    throw crossgateError(
      'BAD_USER_INPUT',
      `first must be an integer from 0 to ${MAX_PAGE_SIZE}; received ${n}`,
      {
        argumentName: 'first',
      },
    );
  }
  return n;
}
