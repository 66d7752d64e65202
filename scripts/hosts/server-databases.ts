// A region's databases on one PostgreSQL server (the scaling benchmark, the in-suite soak): a fresh
// database per process that keeps records (a municipality's records and audit log, the registry),
// each pool sized so that the whole region fits in the connections the server has left. Dropped
// again when the region is done.
import { Client } from 'pg';

/**
 * The soak's databases are named `crossgate_soak_<pid>_<code>` after the process that runs it, so
 * that the test suite's setup can drop those of a run that was killed.
 */
export const SOAK_DATABASE_PREFIX = 'crossgate_soak_';

export interface ServerDatabases {
  /** The URL of the database named for `code` (a municipality's code, or "registry"). */
  urlOf(code: string): string;
  /** Connections each process's pool may open (DATABASE_POOL_SIZE). */
  poolSize: number;
  drop(): Promise<void>;
}

export interface ServerDatabaseOptions {
  /** What every database's name starts with; the code follows, in lower case. */
  prefix: string;
  /**
   * Commits that do not wait for the flush to disk. With 100 members, each read's audit append
   * flushed per commit made the server's disk the bottleneck (its processes waiting on I/O, the
   * load average past 100). A benchmark of the gateway may take this; a municipality's own server
   * keeps the default.
   */
  asyncCommit?: boolean;
}

async function withAdmin<T>(serverUrl: string, run: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  try {
    return await run(admin);
  } finally {
    await admin.end();
  }
}

/** Connections the server still accepts besides those already open (this check's own excluded). */
export async function freeConnections(serverUrl: string): Promise<number> {
  return withAdmin(serverUrl, async (admin) => {
    const max = Number(
      (await admin.query<{ max_connections: string }>('SHOW max_connections')).rows[0]?.max_connections,
    );
    const open = Number(
      (
        await admin.query<{ n: string }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
        )
      ).rows[0]?.n,
    );
    return max - open;
  });
}

/**
 * The pool size every size of the run uses, so that sizes compare like with like: what the largest
 * region leaves each member, from one to four connections.
 */
export async function poolSizeFor(serverUrl: string, largest: number): Promise<number> {
  return Math.max(1, Math.min(4, Math.floor((await freeConnections(serverUrl)) / largest)));
}

/**
 * Creates one empty database per code, or says why the server cannot hold the region: every process
 * needs its pool's connections.
 */
export async function serverDatabases(
  serverUrl: string,
  codes: readonly string[],
  poolSize: number,
  options: ServerDatabaseOptions,
): Promise<ServerDatabases | { refused: string }> {
  const nameOf = (code: string) => `${options.prefix}_${code.toLowerCase()}`;
  const free = await freeConnections(serverUrl);
  if (free < codes.length * poolSize) {
    return {
      refused: `the PostgreSQL server has ${free} free connections and the region's ${codes.length} databases need ${poolSize} each (raise max_connections)`,
    };
  }
  const drop = () =>
    withAdmin(serverUrl, async (admin) => {
      for (const code of codes) await admin.query(`DROP DATABASE IF EXISTS ${nameOf(code)} WITH (FORCE)`);
    });
  await drop();
  await withAdmin(serverUrl, async (admin) => {
    for (const code of codes) {
      await admin.query(`CREATE DATABASE ${nameOf(code)}`);
      if (options.asyncCommit)
        await admin.query(`ALTER DATABASE ${nameOf(code)} SET synchronous_commit = off`);
    }
  });
  const base = new URL(serverUrl);
  return {
    urlOf(code) {
      const url = new URL(base);
      url.pathname = `/${nameOf(code)}`;
      return url.toString();
    },
    poolSize,
    drop,
  };
}
