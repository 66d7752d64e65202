// Opens a PostgreSQL-dialect database: embedded PGlite (default) or a PostgreSQL server.
import type { Logger as DrizzleLogger } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { emptyClusterDump, needsCluster } from './pglite-template';
import { observeClient, type SqlObserver } from './sql-observer';

export type PgConnection = { kind: 'pglite'; dataDir?: string } | { kind: 'postgres'; url: string };

export interface PgHandle {
  // biome-ignore lint/suspicious/noExplicitAny: drizzle's database type is generic over its driver.
  db: PgDatabase<PgQueryResultHKT, any>;
  /** Runs a script of several statements (DDL). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** A PostgreSQL URL names a server; anything else is a PGlite data directory. */
export function pgConnectionOf(database: string): PgConnection {
  return /^postgres(ql)?:\/\//.test(database)
    ? { kind: 'postgres', url: database }
    : { kind: 'pglite', dataDir: database };
}

/**
 * `readOnly` makes every transaction of the handle read-only (the read path of a legacy adapter):
 * PGlite has no logins, so this is how its read path is kept from writing. `poolSize` bounds a
 * server's connections (PGlite is one connection whatever it is).
 */
export async function openPostgres(
  connection: PgConnection,
  logger?: DrizzleLogger,
  options: { readOnly?: boolean; observe?: SqlObserver; poolSize?: number } = {},
): Promise<PgHandle> {
  if (connection.kind === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const client = await openPglite(PGlite, connection.dataDir);
    if (options.readOnly) await client.exec('SET default_transaction_read_only = on');
    if (options.observe) observeClient(client, ['query'], options.observe);
    return {
      db: drizzle(client, { logger }),
      exec: async (sql) => {
        await client.exec(sql);
      },
      close: () => client.close(),
    };
  }
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new Pool({
    connectionString: connection.url,
    max: options.poolSize ?? 10,
    options: options.readOnly ? '-c default_transaction_read_only=on' : undefined,
  });
  if (options.observe) observeClient(pool, ['query'], options.observe);
  return {
    db: drizzle(pool, { logger }),
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

type PGliteClass = typeof import('@electric-sql/pglite').PGlite;

/** A new database starts from the dump of an empty cluster; an existing data folder opens as it is. */
async function openPglite(PGlite: PGliteClass, dataDir: string | undefined) {
  if (!needsCluster(dataDir)) {
    const client = new PGlite(dataDir);
    await client.waitReady;
    return client;
  }
  const loadDataDir = await emptyClusterDump(PGlite);
  const client = dataDir ? new PGlite(dataDir, { loadDataDir }) : new PGlite({ loadDataDir });
  await client.waitReady;
  return client;
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|start transaction|savepoint|release)\b/i;

/**
 * Counts the SQL statements a store sends for records; tests assert on it. The audit log's own
 * statements are left out unless `withAudit` is set (to count a request's whole cost).
 */
export class StatementCounter implements DrizzleLogger {
  count = 0;
  readonly statements: string[] = [];
  constructor(private readonly options: { withAudit?: boolean } = {}) {}
  logQuery(query: string): void {
    if (!this.options.withAudit && query.includes('audit_log')) return;
    // Transaction control is left out: drizzle's PGlite driver opens and ends transactions without
    // logging them, so counting them would make the same code count differently on a server.
    if (TRANSACTION_CONTROL.test(query)) return;
    this.count++;
    this.statements.push(query);
  }
  reset() {
    this.count = 0;
    this.statements.length = 0;
  }
}
