// The databases a region started by `startRegion()` keeps its records in. The suite runs with
// CROSSGATE_TEST_DATABASES=server (jest.config.js sets it): each registry and shard gets a fresh
// database of its own on the PostgreSQL server the suite already needs (CROSSGATE_TEST_POSTGRES_URL),
// created in a fraction of a second, where an embedded PGlite database costs about 1.5 s of CPU to
// start. Otherwise (benchmarks, or CROSSGATE_TEST_DATABASES=pglite) every database is a new PGlite
// one, as the demo's are.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openPostgres, type PgConnection, type PgHandle, type StatementCounter } from '../../common/postgres';
import type { SqlObserver } from '../../common/sql-observer';
import { SOAK_DATABASE_PREFIX } from '../../scripts/hosts/server-databases';

export const TEST_POSTGRES_URL =
  process.env.CROSSGATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Every scratch database's name starts so, then the creating process's id. */
export const SCRATCH_PREFIX = 'crossgate_test_';

/**
 * Connections per scratch database. PGlite serves one at a time; two keep a member's concurrent
 * reads concurrent while the suite's regions (up to sixteen databases in one file, two files at a
 * time) stay well inside the server's connection limit.
 */
const POOL_SIZE = 2;

/** How long a dropped database's backends may take to go before the drop forces them (loaded machine). */
const BACKENDS_GONE_MS = 30_000;

export function embeddedOnly(): boolean {
  return process.env.CROSSGATE_TEST_DATABASES !== 'server';
}

async function onServer<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL at ${TEST_POSTGRES_URL} is unreachable (${(e as Error).message}): test regions keep their records there. Start it, point CROSSGATE_TEST_POSTGRES_URL at a server, or set CROSSGATE_TEST_DATABASES=pglite.`,
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Drops a database once its backends have gone: a pool's end() resolves before the server's
 * backends exit, and forcing one still there makes its pool report the cut.
 */
async function dropWhenIdle(name: string): Promise<void> {
  await onServer(async (client) => {
    const deadline = Date.now() + BACKENDS_GONE_MS;
    while (Date.now() < deadline) {
      const { rows } = await client.query(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

/**
 * Opens a fresh, empty database for a test region: its own database on the server (dropped when
 * the handle closes) under CROSSGATE_TEST_DATABASES=server, else a new embedded PGlite one.
 */
export async function openTestDatabase(
  counter?: StatementCounter,
  options: { observe?: SqlObserver } = {},
): Promise<PgHandle & { connection: PgConnection }> {
  if (embeddedOnly()) {
    const connection: PgConnection = { kind: 'pglite' };
    return { ...(await openPostgres(connection, counter, options)), connection };
  }
  const name = `${SCRATCH_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE "${name}"`));
  const connection: PgConnection = { kind: 'postgres', url: databaseUrl(name) };
  let handle: PgHandle;
  try {
    handle = await openPostgres(connection, counter, { ...options, poolSize: POOL_SIZE });
  } catch (e) {
    await dropWhenIdle(name);
    throw e;
  }
  return {
    ...handle,
    connection,
    close: async () => {
      try {
        await handle.close();
      } finally {
        await dropWhenIdle(name);
      }
    },
  };
}

/**
 * Drops the scratch databases of processes no longer running (a run that was killed), the soak's
 * (named after the process that ran it) included.
 */
export async function dropAbandonedDatabases(): Promise<number> {
  return onServer(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE $2',
      [`${SCRATCH_PREFIX}%`, `${SOAK_DATABASE_PREFIX}%`],
    );
    let dropped = 0;
    for (const { datname } of rows) {
      const prefix = datname.startsWith(SCRATCH_PREFIX) ? SCRATCH_PREFIX : SOAK_DATABASE_PREFIX;
      const pid = Number(datname.slice(prefix.length).split('_')[0]);
      if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) continue;
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      dropped++;
    }
    return dropped;
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
