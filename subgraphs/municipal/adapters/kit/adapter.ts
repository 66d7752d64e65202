// Turns a register's mapping into an adapter: connections per engine (reads on a read-only login,
// writes on the owner's), the mapping checked against the live tables, then the kit's reads and writes.
import Database from 'better-sqlite3';
import type { Logger as DrizzleLogger } from 'drizzle-orm';
import { drizzle as sqliteDrizzle } from 'drizzle-orm/better-sqlite3';
import { drizzle as mysqlDrizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import type { RegionData } from '../../../../scripts/seed/region';
import type { MunicipalAdapter, Register, RegisterAccess } from '../adapter';
import { openPgRegister } from '../pg-register';
import { mysqlReader, postgresReader } from '../readers';
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
): Promise<Connections> {
  if (m.dialect === 'postgresql') {
    const handles = await openPgRegister(access, logger);
    return { reader: handles.reader.db, owner: handles.writer.db, close: handles.close };
  }
  if (m.dialect === 'mysql') {
    const pool = mysql.createPool({ uri: access.reader, connectionLimit: 10 });
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
): Promise<Register> {
  const connections = await connect(m, access, logger);
  try {
    await assertMappingFits(m, connections.reader);
  } catch (e) {
    await connections.close();
    throw e;
  }
  const reads = createMappedReads(m, connections.reader, code, connections.close);
  return { ...reads, writer: createMappedWriter(m, connections.owner, reads) };
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

export function mappedAdapter(
  mapping: RegisterMapping,
  seed: (database: string, region: RegionData, code: string) => Promise<boolean>,
  options: { schemas?: readonly string[] } = {},
): MappedAdapter {
  return {
    name: mapping.name,
    dialect: mapping.dialect,
    mapping,
    seed,
    readOnlyAccess: readOnlyAccessOf(mapping, options.schemas),
    open: (access, code, logger) => openMappedRegister(mapping, access, code, logger),
  };
}
