// Opens a PostgreSQL-dialect register's two paths: reads on a read-only session, writes as the owner.
import type { Logger as DrizzleLogger } from 'drizzle-orm';
import { openPostgres, type PgHandle, pgConnectionOf } from '../../../common/postgres';
import type { SqlObserver } from '../../../common/sql-observer';
import type { RegisterAccess } from './adapter';

export interface PgRegisterHandles {
  reader: PgHandle;
  writer: PgHandle;
  close(): Promise<void>;
}

/**
 * A PGlite directory can be open only once per process and has no logins: reads and writes share
 * its one session, which defaults to read-only transactions; the writer asks for read-write in each
 * of its transactions. A server gets a read-only pool on the reader login and a pool on the owner's.
 */
export async function openPgRegister(
  access: RegisterAccess,
  logger?: DrizzleLogger,
  observe?: SqlObserver,
): Promise<PgRegisterHandles> {
  const readConnection = pgConnectionOf(access.reader);
  const reader = await openPostgres(readConnection, logger, { readOnly: true, observe });
  if (readConnection.kind === 'pglite' && access.owner === access.reader) {
    return { reader, writer: reader, close: () => reader.close() };
  }
  const writer = await openPostgres(pgConnectionOf(access.owner));
  return {
    reader,
    writer,
    async close() {
      await reader.close();
      await writer.close();
    },
  };
}
