// Checks a mapping against the live database when the register opens: every column it names must
// exist with a type of the same kind, or the start fails naming each column that does not fit.
import { Column, getTableName, is, sql, Table } from 'drizzle-orm';
import type { Dialect } from '../adapter';
import { isTodo, type RegisterMapping } from './mapping';
import { type AnyDatabase, tableOf } from './reads';

/** A column as the database describes it: "<table>.<column>" (schema-qualified on PostgreSQL) → type. */
export type LiveColumns = Map<string, string>;

const SCHEMA = Symbol.for('drizzle:Schema');

function qualifiedName(dialect: Dialect, table: Table): string {
  const schema = (table as unknown as Record<symbol, string | undefined>)[SCHEMA];
  return dialect === 'postgresql' ? `${schema ?? 'public'}.${getTableName(table)}` : getTableName(table);
}

/** The kind of a SQL type, so that `varchar(16)` and `text`, or `int4` and `integer`, agree. */
export function typeKind(type: string): string {
  const t = type.toLowerCase();
  if (/int|serial/.test(t)) return 'integer';
  if (/char|text|clob|string/.test(t)) return 'text';
  if (/timestamp|datetime/.test(t)) return 'timestamp';
  if (/^date$/.test(t)) return 'date';
  if (/json/.test(t)) return 'json';
  if (/bool/.test(t)) return 'boolean';
  if (/numeric|decimal|real|double|float/.test(t)) return 'number';
  return t.replace(/\(.*$/, '');
}

/** Every column a mapping names, once. */
export function mappedColumns(mapping: RegisterMapping): Column[] {
  const found = new Set<Column>();
  const walk = (value: unknown) => {
    if (is(value, Column)) found.add(value);
    else if (is(value, Table) || typeof value !== 'object' || value === null) return;
    else for (const v of Object.values(value)) walk(v);
  };
  walk(mapping);
  return [...found];
}

/** The parts of a mapping still marked todo(), by their place in it. */
export function todosOf(mapping: RegisterMapping): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (isTodo(value)) found.push(`${path}: ${value.todo}`);
    else if (is(value, Column) || is(value, Table) || typeof value !== 'object' || value === null) return;
    else for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(mapping, '');
  return found;
}

/** The problems of a mapping against the live columns; empty when it fits. */
export function mappingProblems(mapping: RegisterMapping, live: LiveColumns): string[] {
  const problems: string[] = todosOf(mapping).map((t) => `still to map: ${t}`);
  for (const column of mappedColumns(mapping)) {
    const name = `${qualifiedName(mapping.dialect, tableOf(column))}.${column.name}`;
    const actual = live.get(name);
    if (actual === undefined) problems.push(`column ${name} does not exist in the database`);
    else if (typeKind(actual) !== typeKind(column.getSQLType()))
      problems.push(
        `column ${name} is ${actual} in the database, the mapping reads it as ${column.getSQLType()}`,
      );
  }
  return problems;
}

/** Reads the live columns of the tables a mapping names. */
export async function liveColumns(mapping: RegisterMapping, db: AnyDatabase): Promise<LiveColumns> {
  const live: LiveColumns = new Map();
  if (mapping.dialect === 'postgresql') {
    const result = await db.execute(sql`/* mapping:columns */ SELECT table_schema AS s, table_name AS t,
      column_name AS c, udt_name AS type FROM information_schema.columns
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`);
    for (const r of (result as { rows: Record<string, string>[] }).rows)
      live.set(`${r.s}.${r.t}.${r.c}`, String(r.type));
  } else if (mapping.dialect === 'mysql') {
    const [rows] = await db.execute(sql`/* mapping:columns */ SELECT TABLE_NAME AS t, COLUMN_NAME AS c,
      DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()`);
    for (const r of rows as Record<string, string>[]) live.set(`${r.t}.${r.c}`, String(r.type));
  } else {
    const tables = new Set(mappedColumns(mapping).map((c) => getTableName(tableOf(c))));
    for (const t of tables) {
      const rows: { name: string; type: string }[] = await db.all(
        sql`SELECT name, type FROM pragma_table_info(${t})`,
      );
      for (const r of rows) live.set(`${t}.${r.name}`, r.type);
    }
  }
  return live;
}

/** Fails, naming every column that does not fit, unless the mapping fits the live database. */
export async function assertMappingFits(mapping: RegisterMapping, db: AnyDatabase): Promise<void> {
  const problems = mappingProblems(mapping, await liveColumns(mapping, db));
  if (problems.length > 0)
    throw new Error(
      `The ${mapping.name} mapping does not fit its database:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
}
