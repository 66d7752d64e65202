// The PostgreSQL award ledger adapter: PGlite (a directory) or a PostgreSQL server (a URL).
import { openPostgres, pgConnectionOf } from '../../../common/postgres';
import type { MunicipalAdapter } from '../adapter';
import { postgresReader } from '../readers';
import { seedPgLedger } from './seed';
import { createPgLedgerStore } from './store';

export const pgLedgerAdapter: MunicipalAdapter = {
  name: 'pg-ledger',
  dialect: 'postgresql',
  async seed(database, region, code) {
    const handle = await openPostgres(pgConnectionOf(database));
    try {
      return await seedPgLedger(handle, region, code);
    } finally {
      await handle.close();
    }
  },
  readOnlyAccess: (database) => postgresReader(database, ['ledger']),
  async open(database, code, logger) {
    const handle = await openPostgres(pgConnectionOf(database), logger, { readOnly: true });
    return createPgLedgerStore(handle.db, code, () => handle.close());
  },
};
