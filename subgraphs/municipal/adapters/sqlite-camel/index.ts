// The camelCase SQLite register adapter: a database file, read on a read-only connection and
// written on the owner's read-write one.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { observeSqlite } from '../../../../common/sql-observer';
import type { MunicipalAdapter } from '../adapter';
import { seedSqliteCamel } from './seed';
import { createSqliteCamelStore } from './store';
import { createSqliteCamelWriter } from './writer';

export const sqliteCamelAdapter: MunicipalAdapter = {
  name: 'sqlite-camel',
  dialect: 'sqlite',
  async seed(database, region, code) {
    const client = new Database(database);
    try {
      return seedSqliteCamel(client, region, code);
    } finally {
      client.close();
    }
  },
  readOnlyAccess: async (database) => database,
  async open(access, code, logger, observe) {
    const client = new Database(access.reader, { readonly: true, fileMustExist: true });
    if (observe) observeSqlite(client, observe);
    const owner = new Database(access.owner, { fileMustExist: true });
    owner.pragma('busy_timeout = 5000');
    return {
      ...createSqliteCamelStore(drizzle(client, { logger }), code, async () => {
        client.close();
        owner.close();
      }),
      writer: createSqliteCamelWriter(drizzle(owner)),
    };
  },
};
