// The camelCase SQLite register adapter: a database file, read on a read-only connection and
// written on the owner's read-write one.
import Database from 'better-sqlite3';
import { mappedAdapter } from '../kit/adapter';
import { sqliteCamelMapping } from './mapping';
import { seedSqliteCamel } from './seed';

export const sqliteCamelAdapter = mappedAdapter(sqliteCamelMapping, async (database, region, code) => {
  const client = new Database(database);
  try {
    return seedSqliteCamel(client, region, code);
  } finally {
    client.close();
  }
});
