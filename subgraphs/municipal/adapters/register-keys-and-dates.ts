// Pieces every legacy adapter shares: ids of one municipality, request order, keyset bounds, dates.
import { and, eq, gt, or, type SQL, type SQLWrapper } from 'drizzle-orm';
import { globalId, parseGlobalId } from '../../../schema/ids';
import type { Loaded, SortKey } from '../store';

/** Sort key of a record whose date cannot be read: before every real date, as the SQL orders it. */
export const UNREADABLE_DATE = '0000-00-00';

/** The local ids among `ids` that belong to `code` (a legacy database holds one municipality). */
export function localIdsOf(code: string, ids: readonly string[]): string[] {
  const locals: string[] = [];
  for (const id of ids) {
    const parsed = parseGlobalId(id);
    if (parsed && parsed.municipality === code) locals.push(parsed.localId);
  }
  return locals;
}

/** Answers in the order of the requested ids; an id with no row is null. */
export function inRequestOrder<T>(ids: readonly string[], found: Map<string, T | Error>): Loaded<T>[] {
  return ids.map((id) => found.get(id) ?? null);
}

/**
 * A batch of global ids read with one statement: this municipality's local ids go in, the rows
 * come back keyed by global id, in request order (null where no row, an Error where unmappable).
 */
export async function byLocalIds<Row, T>(
  code: string,
  ids: readonly string[],
  select: (locals: string[]) => Promise<Row[]>,
  localIdOf: (row: Row) => string,
  toRecord: (row: Row) => T | Error,
): Promise<Loaded<T>[]> {
  const locals = localIdsOf(code, ids);
  if (locals.length === 0) return ids.map(() => null);
  const rows = await select(locals);
  return inRequestOrder(ids, new Map(rows.map((r) => [globalId(code, localIdOf(r)), toRecord(r)])));
}

/** Groups rows under the id each answers, keeping their SQL order. */
export function groupRows<T>(keys: readonly string[], rows: readonly { key: string; value: T }[]): T[][] {
  const byKey = new Map<string, T[]>();
  for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.value]);
  return keys.map((k) => byKey.get(k) ?? []);
}

/**
 * Rows strictly after `after` in the order (sortDate, municipality, localId), for a store of one
 * municipality `code`. Every comparison is on text in a binary collation, as compareSortKeys compares.
 */
export function keysetAfter(
  code: string,
  sortDate: SQLWrapper,
  localId: SQLWrapper,
  after: SortKey | null,
): SQL | undefined {
  if (!after) return undefined;
  const [date, municipality, local] = after.map(String);
  if (date === undefined || municipality === undefined || local === undefined) return undefined;
  if (code > municipality) return or(gt(sortDate, date), eq(sortDate, date));
  if (code < municipality) return gt(sortDate, date);
  return or(gt(sortDate, date), and(eq(sortDate, date), gt(localId, local)));
}

export function pageKey(sortDate: string, code: string, localId: string): SortKey {
  return [sortDate, code, localId];
}

export function globalOf(code: string, localId: string): string {
  return globalId(code, localId);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DOTTED = /^(\d{2})\.(\d{2})\.(\d{4})$/;

/** A calendar date that exists, as YYYY-MM-DD, or null. */
function validIso(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

export function isoFromIso(value: string): string | null {
  const m = ISO.exec(value);
  return m ? validIso(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/** DD.MM.YYYY to YYYY-MM-DD; null when malformed or not a real date. */
export function isoFromDotted(value: string): string | null {
  const m = DOTTED.exec(value.trim());
  return m ? validIso(Number(m[3]), Number(m[2]), Number(m[1])) : null;
}

export function dottedFromIso(iso: string): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

/** Seconds since the epoch at UTC midnight to YYYY-MM-DD; null when not a whole day in range. */
export function isoFromEpoch(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value) || value % 86_400 !== 0) return null;
  const iso = new Date(value * 1000).toISOString().slice(0, 10);
  return iso >= '1900-01-01' && iso <= '2199-12-31' ? iso : null;
}

export function epochFromIso(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / 1000;
}
