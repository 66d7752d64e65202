// Before the tests: are the servers the suite talks to reachable? PostgreSQL and MariaDB (the
// adapter suite) and Redis (rate limits shared between gateway replicas).
import Redis from 'ioredis';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { MARIADB_URL, POSTGRES_URL } from '../adapters/targets';

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

const REDIS_URL = process.env.CROSSGATE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

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
    reach('Redis', 'CROSSGATE_TEST_REDIS_URL', REDIS_URL, async () => {
      const redis = new Redis(REDIS_URL, {
        maxRetriesPerRequest: 1,
        connectTimeout: 5000,
        lazyConnect: true,
      });
      try {
        await redis.connect();
        return `answers ${await redis.ping()}`;
      } finally {
        redis.disconnect();
      }
    }),
  ]);
  if (results.includes(false)) process.exit(1);
}

void main();
