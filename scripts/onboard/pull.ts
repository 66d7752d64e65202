// Introspects a live database with drizzle-kit pull and returns the drizzle schema source it wrote.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import mysql from 'mysql2/promise';
import { openPostgres, pgConnectionOf } from '../../common/postgres';
import type { Dialect } from '../../subgraphs/municipal/adapters/adapter';

const run = promisify(execFile);
const DRIZZLE_KIT = resolve(__dirname, '../../node_modules/drizzle-kit/bin.cjs');

export interface PullOptions {
  dialect: Dialect;
  /** A postgres:// or mysql:// URL, a SQLite file, or a PGlite directory (with driver 'pglite'). */
  url: string;
  driver?: 'pglite';
  /** PostgreSQL schemas to read; default public. */
  schemas?: readonly string[];
}

/** Drops what drizzle-kit emits but the schema never uses, and a MariaDB quirk: default('NULL'). */
export function tidyPulledSchema(source: string): string {
  let text = source.replace(/\.default\('NULL'\)/g, '');
  text = text.replace(/import \{([^}]*)\} from ("[^"]+");?/g, (_, names: string, from: string) => {
    const body = text.replace(/import \{[^}]*\} from "[^"]+";?/g, '');
    const used = names
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n && new RegExp(`\\b${n}\\b`).test(body));
    return used.length ? `import { ${used.join(', ')} } from ${from};` : '';
  });
  return text;
}

/** Each table's primary-key columns in their declared order, as the engine's catalogue keeps them. */
export async function primaryKeyOrder(options: PullOptions): Promise<Map<string, string[]>> {
  const order = new Map<string, string[]>();
  const add = (table: string, column: string) => order.set(table, [...(order.get(table) ?? []), column]);
  if (options.dialect === 'postgresql') {
    const handle = await openPostgres(pgConnectionOf(options.url));
    try {
      const { rows } = (await handle.db.execute(sql`SELECT c.conrelid::regclass::text AS t, a.attname AS c
        FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        WHERE c.contype = 'p' ORDER BY c.conrelid, k.n`)) as unknown as { rows: { t: string; c: string }[] };
      for (const r of rows) add(r.t.replace(/^.*\./, '').replace(/"/g, ''), r.c);
    } finally {
      await handle.close();
    }
  } else if (options.dialect === 'mysql') {
    const connection = await mysql.createConnection({ uri: options.url });
    try {
      const [rows] = await connection.query(
        `SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE
         WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      );
      for (const r of rows as { t: string; c: string }[]) add(r.t, r.c);
    } finally {
      await connection.end();
    }
  } else {
    const db = new Database(options.url, { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as {
        name: string;
      }[];
      for (const { name } of tables) {
        const columns = db.prepare('SELECT name, pk FROM pragma_table_info(?)').all(name) as {
          name: string;
          pk: number;
        }[];
        for (const c of columns.filter((x) => x.pk > 0).sort((a, b) => a.pk - b.pk)) add(name, c.name);
      }
    } finally {
      db.close();
    }
  }
  return order;
}

/** Puts every composite primaryKey({ columns: [...] }) of a pulled schema in the catalogue's order. */
export function inDeclaredKeyOrder(source: string, order: Map<string, string[]>): string {
  return source.replace(
    /(Table\("([^"]+)"(?:(?!Table\()[\s\S])*?primaryKey\(\{ columns: \[)([^\]]*)\]/g,
    (all, head: string, table: string, columns: string) => {
      const declared = order.get(table);
      const pulled = columns.split(',').map((c) => c.trim().replace(/^table\./, ''));
      if (!declared || declared.length !== pulled.length || !declared.every((c) => pulled.includes(c)))
        return all;
      return `${head}${declared.map((c) => `table.${c}`).join(', ')}]`;
    },
  );
}

/**
 * Adds the composite primary keys a pull left out (drizzle-kit drops them on MariaDB) as the
 * catalogue declares them, importing primaryKey from the schema's core module where needed.
 */
export function withMissingKeys(source: string, order: Map<string, string[]>): string {
  let text = source;
  for (const [table, columns] of order) {
    if (columns.length < 2) continue;
    const found = new RegExp(`Table\\("${table}", \\{[\\s\\S]*?\\n\\}(,\\s*\\(table\\) => \\[)?`).exec(text);
    if (!found) continue;
    const end = found.index + found[0].length;
    const rest = text.slice(end, text.indexOf(';', end));
    if (rest.includes('primaryKey(') || (!found[1] && !rest.startsWith(')'))) continue;
    const key = `\tprimaryKey({ columns: [${columns.map((c) => `table.${c}`).join(', ')}] }),`;
    text = found[1]
      ? `${text.slice(0, end)}\n${key}${text.slice(end)}`
      : `${text.slice(0, end)}, (table) => [\n${key}\n]${text.slice(end)}`;
  }
  if (text === source || /import \{[^}]*\bprimaryKey\b/.test(text)) return text;
  return text.replace(
    /import \{([^}]*)\} from "(drizzle-orm\/\w+-core)";?/,
    (_, names: string, from: string) => `import { ${names.trim()}, primaryKey } from "${from}";`,
  );
}

export async function pullSchema(options: PullOptions): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'crossgate-pull-'));
  try {
    const args = [
      DRIZZLE_KIT,
      'pull',
      `--dialect=${options.dialect}`,
      `--url=${options.url}`,
      `--out=${out}`,
      '--introspect-casing=preserve',
    ];
    if (options.driver) args.push(`--driver=${options.driver}`);
    if (options.schemas?.length) args.push(`--schemaFilters=${options.schemas.join(',')}`);
    try {
      await run(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      throw new Error(`drizzle-kit pull failed: ${err.stderr || err.stdout || err.message}`);
    }
    const pulled = tidyPulledSchema(readFileSync(join(out, 'schema.ts'), 'utf8'));
    const order = await primaryKeyOrder(options);
    return withMissingKeys(inDeclaredKeyOrder(pulled, order), order);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
