// The camelCase SQLite register adapter: a database file, opened read-only by the store.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { MunicipalAdapter } from '../adapter';
import { seedSqliteCamel } from './seed';
import { createSqliteCamelStore } from './store';

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
  async open(database, code, logger) {
    const client = new Database(database, { readonly: true, fileMustExist: true });
    return createSqliteCamelStore(drizzle(client, { logger }), code, async () => {
      client.close();
    });
  },
};
