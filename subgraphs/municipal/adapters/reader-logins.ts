// Read-only logins for the read path: a PostgreSQL role and a MariaDB/MySQL user that may only SELECT.
import { createHmac } from 'node:crypto';
import { openPostgres } from '../../../common/postgres';

/** The reader's name for a database: one per database, so grants never reach another's tables. */
export function readerName(databaseName: string): string {
  return `${databaseName.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 48)}_reader`.toLowerCase();
}

/**
 * The reader's password, derived from the owner's address (a secret already): stable across
 * restarts, so processes that share a reader never change each other's password.
 */
function readerPassword(ownerAddress: string, reader: string): string {
  return createHmac('sha256', ownerAddress).update(reader).digest('base64url').slice(0, 24);
}

/**
 * Creates (or refreshes the grants of) a PostgreSQL role that can only read `database`'s
 * schemas, with read-only transactions by default, and returns the URL that logs in as it.
 * A PGlite directory has no users: it is returned as it is.
 */
export async function postgresReader(
  database: string,
  schemas: readonly string[] = ['public'],
): Promise<string> {
  if (!/^postgres(ql)?:\/\//.test(database)) return database;
  const url = new URL(database);
  const dbName = decodeURIComponent(url.pathname.slice(1));
  const role = readerName(dbName);
  const password = readerPassword(database, role);
  const admin = await openPostgres({ kind: 'postgres', url: database });
  try {
    await admin.exec(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN
          CREATE ROLE "${role}" LOGIN;
        END IF;
      END $$;
      ALTER ROLE "${role}" WITH LOGIN PASSWORD '${password}';
      ALTER ROLE "${role}" SET default_transaction_read_only = on;
      GRANT CONNECT ON DATABASE "${dbName}" TO "${role}";
      ${schemas
        .map(
          (s) =>
            `GRANT USAGE ON SCHEMA "${s}" TO "${role}"; GRANT SELECT ON ALL TABLES IN SCHEMA "${s}" TO "${role}";`,
        )
        .join('\n')}`);
  } finally {
    await admin.close();
  }
  url.username = role;
  url.password = password;
  return url.toString();
}

/** The same for MariaDB/MySQL: a user with SELECT on one schema only. */
export async function mysqlReader(database: string): Promise<string> {
  const url = new URL(database);
  const dbName = decodeURIComponent(url.pathname.slice(1));
  const user = readerName(dbName);
  const password = readerPassword(database, user);
  const mysql = await import('mysql2/promise');
  const admin = await mysql.createConnection({ uri: database });
  try {
    await admin.query(`CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY '${password}'`);
    await admin.query(`ALTER USER '${user}'@'%' IDENTIFIED BY '${password}'`);
    await admin.query(`GRANT SELECT ON \`${dbName}\`.* TO '${user}'@'%'`);
  } finally {
    await admin.end();
  }
  url.username = user;
  url.password = password;
  return url.toString();
}
