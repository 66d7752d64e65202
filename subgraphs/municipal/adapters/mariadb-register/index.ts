// The wide MariaDB/MySQL register adapter: a mysql:// URL; reads log in as a SELECT-only user,
// writes as the register's owner.
import { drizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import { mappedAdapter } from '../kit/adapter';
import { mariadbRegisterMapping } from './mapping';
import { CREATE_TABLES, seedMariadbRegister } from './seed';

/** Creates the database named in the URL when the server does not have it yet. */
async function ensureDatabase(url: string) {
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

export const mariadbRegisterAdapter = mappedAdapter(
  mariadbRegisterMapping,
  async (database, region, code) => {
    await ensureDatabase(database);
    const connection = await mysql.createConnection({ uri: database });
    try {
      for (const ddl of CREATE_TABLES) await connection.query(ddl);
      return await seedMariadbRegister(drizzle(connection), region, code);
    } finally {
      await connection.end();
    }
  },
);
