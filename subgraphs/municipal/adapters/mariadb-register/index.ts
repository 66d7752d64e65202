// The wide MariaDB/MySQL register adapter: a mysql:// URL; the store logs in as a SELECT-only user.
import { drizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import type { MunicipalAdapter } from '../adapter';
import { mysqlReader } from '../readers';
import { CREATE_TABLES, seedMariadbRegister } from './seed';
import { createMariadbRegisterStore } from './store';

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

export const mariadbRegisterAdapter: MunicipalAdapter = {
  name: 'mariadb-register',
  dialect: 'mysql',
  async seed(database, region, code) {
    await ensureDatabase(database);
    const connection = await mysql.createConnection({ uri: database });
    try {
      for (const ddl of CREATE_TABLES) await connection.query(ddl);
      return await seedMariadbRegister(drizzle(connection), region, code);
    } finally {
      await connection.end();
    }
  },
  readOnlyAccess: (database) => mysqlReader(database),
  async open(database, code, logger) {
    const pool = mysql.createPool({ uri: database, connectionLimit: 10 });
    return createMariadbRegisterStore(drizzle(pool, { logger }), code, () => pool.end());
  },
};
