// The camelCase SQLite register adapter: a database file, read on a read-only connection and
// written on the owner's read-write one.
import { mappedAdapter } from '../kit/adapter';
import { sqliteCamelMapping } from './mapping';
import { TABLES } from './schema';

export const sqliteCamelAdapter = mappedAdapter(sqliteCamelMapping, { tables: TABLES });
