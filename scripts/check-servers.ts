// Before the tests: are the PostgreSQL and MariaDB servers the adapter suite runs on reachable?
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { MARIADB_URL, POSTGRES_URL } from '../tests/adapters/targets';

async function reach(name: string, variable: string, url: string, probe: () => Promise<string>) {
  try {
    console.log(`${name} at ${url}: ${await probe()}`);
    return true;
  } catch (e) {
    console.error(
      `${name} at ${url} is unreachable: ${(e as Error).message}\n  Start it, or point ${variable} at a server.`,
    );
    return false;
  }
}

async function main() {
  const results = await Promise.all([
    reach('PostgreSQL', 'CROSSGATE_TEST_POSTGRES_URL', POSTGRES_URL, async () => {
      const client = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        return (await client.query('SHOW server_version')).rows[0].server_version;
      } finally {
        await client.end();
      }
    }),
    reach('MariaDB', 'CROSSGATE_TEST_MARIADB_URL', MARIADB_URL, async () => {
      const c = await mysql.createConnection({ uri: MARIADB_URL, connectTimeout: 5000 });
      try {
        const [rows] = await c.query('SELECT VERSION() AS v');
        return (rows as { v: string }[])[0]?.v ?? 'unknown version';
      } finally {
        await c.end();
      }
    }),
  ]);
  if (results.includes(false)) process.exit(1);
}

void main();
