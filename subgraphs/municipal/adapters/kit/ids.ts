// Local ids of one column or several (year and number): their text, parsing them back, batch WHERE.
import { and, type Column, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Dialect } from '../adapter';
import { DIALECT_SQL } from './dialect-sql';
import type { IdSpec } from './mapping';

export const idColumns = (spec: IdSpec): readonly Column[] => ('columns' in spec ? spec.columns : [spec]);

const isNumeric = (c: Column) => c.dataType === 'number' || c.dataType === 'bigint';

/**
 * The local id as text, ordered by code unit. A single text column is used as it is (its collation
 * must be binary, as every key column of a register is); numbers and composites are cast and joined.
 */
export function idSql(dialect: Dialect, spec: IdSpec): SQL<string> {
  const d = DIALECT_SQL[dialect];
  if (!('columns' in spec))
    return isNumeric(spec) ? sql<string>`${d.binary(d.text(spec))}` : sql<string>`${spec}`;
  const parts: (SQL | string)[] = [];
  spec.columns.forEach((c, i) => {
    if (i > 0) parts.push(spec.separator);
    parts.push(d.text(c));
  });
  return sql<string>`${d.binary(d.concat(...parts))}`;
}

/** The column values of a local id, or null when it cannot be one of this register's ids. */
export function parseLocalId(spec: IdSpec, local: string): unknown[] | null {
  const columns = idColumns(spec);
  const parts = 'columns' in spec ? local.split(spec.separator) : [local];
  if (parts.length !== columns.length) return null;
  const values: unknown[] = [];
  for (const [i, c] of columns.entries()) {
    const part = parts[i] as string;
    if (isNumeric(c)) {
      if (!/^(0|[1-9]\d{0,14})$/.test(part)) return null;
      values.push(Number(part));
    } else values.push(part);
  }
  return values;
}

/** The local id of stored values, as idSql writes it. */
export function localIdOf(spec: IdSpec, values: readonly unknown[]): string {
  return 'columns' in spec ? values.map(String).join(spec.separator) : String(values[0]);
}

/** WHERE matching a batch of local ids in one statement; undefined when none can exist. */
export function whereIds(spec: IdSpec, locals: readonly string[]): SQL | undefined {
  const parsed = locals.map((l) => parseLocalId(spec, l)).filter((v): v is unknown[] => v !== null);
  if (parsed.length === 0) return undefined;
  if (!('columns' in spec))
    return inArray(
      spec,
      parsed.map((v) => v[0]),
    );
  return or(...parsed.map((values) => and(...spec.columns.map((c, i) => eq(c, values[i])))));
}

/** The value a reference column stores for a local id (a number for a numeric column). */
export function storedValue(column: Column, local: string): unknown | null {
  const parsed = parseLocalId(column, local);
  return parsed ? parsed[0] : null;
}
