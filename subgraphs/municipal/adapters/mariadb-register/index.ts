// The wide MariaDB/MySQL register adapter: a mysql:// URL; reads log in as a SELECT-only user,
// writes as the register's owner.
import { drizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import { observeClient } from '../../../../common/sql-observer';
import type { MunicipalAdapter } from '../adapter';
import { mysqlReader } from '../reader-logins';
import { CREATE_TABLES, seedMariadbRegister } from './seed';
import { createMariadbRegisterStore } from './store';
import { createMariadbRegisterWriter } from './writer';

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
  async open(access, code, logger, observe) {
    const pool = mysql.createPool({ uri: access.reader, connectionLimit: 10 });
    if (observe) observeClient(pool, ['query', 'execute'], observe);
    const owner = mysql.createPool({ uri: access.owner, connectionLimit: 2 });
    return {
      ...createMariadbRegisterStore(drizzle(pool, { logger }), code, async () => {
        await pool.end();
        await owner.end();
      }),
      writer: createMariadbRegisterWriter(drizzle(owner)),
    };
  },
};
