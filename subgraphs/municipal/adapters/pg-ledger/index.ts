// The PostgreSQL award-ledger adapter (its own `ledger` schema): PGlite or a PostgreSQL server.
import { openPostgres, pgConnectionOf } from '../../../../common/postgres';
import { mappedAdapter } from '../kit/adapter';
import { pgLedgerMapping } from './mapping';
import { seedPgLedger } from './seed';

export const pgLedgerAdapter = mappedAdapter(
  pgLedgerMapping,
  async (database, region, code) => {
    const handle = await openPostgres(pgConnectionOf(database));
    try {
      return await seedPgLedger(handle, region, code);
    } finally {
      await handle.close();
    }
  },
  { schemas: ['ledger'] },
);
