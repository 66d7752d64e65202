// Member databases for the scaling benchmark on one PostgreSQL server: a fresh database per
// municipality (its records and its own audit log), each member's pool sized so that the whole
// region fits in the connections the server has left. Dropped again when the size is done.
import { Client } from 'pg';

export interface ServerDatabases {
  /** The URL of each member's database. */
  urlOf(code: string): string;
  /** Connections each member's pool may open (DATABASE_POOL_SIZE). */
  poolSize: number;
  drop(): Promise<void>;
}

const nameOf = (code: string) => `crossgate_scaling_${code.toLowerCase()}`;

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
 * Creates one empty database per code, or says why the server cannot hold the region: every member
 * needs its pool's connections.
 */
export async function serverDatabases(
  serverUrl: string,
  codes: readonly string[],
  poolSize: number,
): Promise<ServerDatabases | { refused: string }> {
  const free = await freeConnections(serverUrl);
  if (free < codes.length * poolSize) {
    return {
      refused: `the PostgreSQL server has ${free} free connections and the ${codes.length} members need ${poolSize} each (raise max_connections)`,
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
      // Every read a member answers appends to its audit log; with a flush to disk per commit, 100
      // members made the server's disk the bottleneck (its processes waiting on I/O, the load
      // average past 100). The benchmark measures the gateway, so these databases commit without
      // waiting for the flush. A municipality's own server keeps the default.
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
