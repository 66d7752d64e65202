// Turns a register's mapping into an adapter: connections per engine (reads on a read-only login,
// writes on the owner's), the mapping checked against the live tables, then the kit's reads and writes.
import Database from 'better-sqlite3';
import { count, type Logger as DrizzleLogger, eq, sql } from 'drizzle-orm';
import { drizzle as sqliteDrizzle } from 'drizzle-orm/better-sqlite3';
import { drizzle as mysqlDrizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import { openPostgres, pgConnectionOf } from '../../../../common/postgres';
import { type RegionData, recordsOf } from '../../../../common/region-records';
import { observeClient, observeSqlite, type SqlObserver } from '../../../../common/sql-observer';
import type { MunicipalAdapter, Register, RegisterAccess } from '../adapter';
import { openPgRegister } from '../pg-register';
import { mysqlReader, postgresReader } from '../reader-logins';
import { seedThroughMapping } from './fixtures';
import type { RegisterMapping } from './mapping';
import { type AnyDatabase, createMappedReads } from './reads';
import { assertMappingFits } from './validate';
import { createMappedWriter } from './writes';

/** An adapter built from a mapping; `mapping` is what the behaviour suite and the scaffold read. */
export interface MappedAdapter extends MunicipalAdapter {
  readonly mapping: RegisterMapping;
}

interface Connections {
  reader: AnyDatabase;
  owner: AnyDatabase;
  close(): Promise<void>;
}

async function connect(
  m: RegisterMapping,
  access: RegisterAccess,
  logger?: DrizzleLogger,
  observe?: SqlObserver,
): Promise<Connections> {
  if (m.dialect === 'postgresql') {
    const handles = await openPgRegister(access, logger, observe);
    return { reader: handles.reader.db, owner: handles.writer.db, close: handles.close };
  }
  if (m.dialect === 'mysql') {
    const pool = mysql.createPool({ uri: access.reader, connectionLimit: 10 });
    if (observe) observeClient(pool, ['query', 'execute'], observe);
    const owner = mysql.createPool({ uri: access.owner, connectionLimit: 2 });
    return {
      reader: mysqlDrizzle(pool, { logger }),
      owner: mysqlDrizzle(owner),
      async close() {
        await pool.end();
        await owner.end();
      },
    };
  }
  const client = new Database(access.reader, { readonly: true, fileMustExist: true });
  if (observe) observeSqlite(client, observe);
  const owner = new Database(access.owner, { fileMustExist: true });
  owner.pragma('busy_timeout = 5000');
  return {
    reader: sqliteDrizzle(client, { logger }),
    owner: sqliteDrizzle(owner),
    async close() {
      client.close();
      owner.close();
    },
  };
}

/** Opens a mapped register: fails at start, naming each column, when the mapping does not fit. */
export async function openMappedRegister(
  m: RegisterMapping,
  access: RegisterAccess,
  code: string,
  logger?: DrizzleLogger,
  observe?: SqlObserver,
): Promise<Register> {
  const connections = await connect(m, access, logger, observe);
  try {
    await assertMappingFits(m, connections.reader);
  } catch (e) {
    await connections.close();
    throw e;
  }
  const reads = createMappedReads(m, connections.reader, [code], connections.close);
  return { ...reads, writer: createMappedWriter(m, connections.owner, reads, code) };
}

/** The read-only login of each engine (SQLite files and PGlite directories are opened read-only). */
export function readOnlyAccessOf(m: RegisterMapping, schemas?: readonly string[]) {
  return (database: string): Promise<string> =>
    m.dialect === 'postgresql'
      ? postgresReader(database, schemas)
      : m.dialect === 'mysql'
        ? mysqlReader(database)
        : Promise.resolve(database);
}

export interface MappedAdapterOptions {
  /** The register's DDL, one statement each, run by the seed (IF NOT EXISTS) before its records. */
  tables?: readonly string[];
  /** PostgreSQL schemas the read-only login may read besides public. */
  schemas?: readonly string[];
}

export function mappedAdapter(mapping: RegisterMapping, options: MappedAdapterOptions = {}): MappedAdapter {
  return {
    name: mapping.name,
    dialect: mapping.dialect,
    mapping,
    seed: seedThroughMappingOf(mapping, options.tables),
    readOnlyAccess: readOnlyAccessOf(mapping, options.schemas),
    open: (access, code, logger, observe) => openMappedRegister(mapping, access, code, logger, observe),
  };
}

/** Creates the database named in a mysql:// URL when the server does not have it yet. */
async function ensureMysqlDatabase(url: string) {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.slice(1));
  parsed.pathname = '/';
  const admin = await mysql.createConnection({ uri: parsed.toString() });
  try {
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4`);
  } finally {
    await admin.end();
  }
}

/** Runs a register's DDL on the owner's connection, statement by statement. */
export async function createTables(m: RegisterMapping, db: AnyDatabase, tables: readonly string[]) {
  for (const statement of tables)
    if (m.dialect === 'sqlite') db.run(sql.raw(statement));
    else await db.execute(sql.raw(statement));
}

/** Runs `use` on the owner's connection of `database` (read-write), then closes it; `create` makes a missing SQLite file. */
export async function withOwner<T>(
  m: RegisterMapping,
  database: string,
  use: (db: AnyDatabase) => Promise<T>,
  create = false,
) {
  if (m.dialect === 'postgresql') {
    const handle = await openPostgres(pgConnectionOf(database));
    try {
      return await use(handle.db);
    } finally {
      await handle.close();
    }
  }
  if (m.dialect === 'mysql') {
    const connection = await mysql.createConnection({ uri: database });
    try {
      return await use(mysqlDrizzle(connection));
    } finally {
      await connection.end();
    }
  }
  const client = new Database(database, { fileMustExist: !create });
  try {
    return await use(sqliteDrizzle(client));
  } finally {
    client.close();
  }
}

/**
 * The seed of a register: its `tables` created where missing (a MySQL database too), then a
 * municipality's generated records written through the mapping into empty tables (false, writing
 * nothing, when credentials are there).
 */
export function seedThroughMappingOf(m: RegisterMapping, tables: readonly string[] = []) {
  return async (database: string, region: RegionData, code: string) => {
    if (m.dialect === 'mysql' && tables.length > 0) await ensureMysqlDatabase(database);
    return withOwner(
      m,
      database,
      async (db) => {
        await createTables(m, db, tables);
        const [row] = await db
          .select({ n: count() })
          .from(m.credential.table)
          .where(m.shared ? eq(m.shared.credential, code) : undefined);
        if (Number(row?.n ?? 0) > 0) return false;
        await seedThroughMapping(m, db, recordsOf(region, [code]), code);
        return true;
      },
      tables.length > 0,
    );
  };
}
