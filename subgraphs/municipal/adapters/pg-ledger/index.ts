// The PostgreSQL award ledger adapter: PGlite (a directory) or a PostgreSQL server (a URL).
import { openPostgres, pgConnectionOf } from '../../../../common/postgres';
import type { MunicipalAdapter } from '../adapter';
import { openPgRegister } from '../pg-register';
import { postgresReader } from '../reader-logins';
import { seedPgLedger } from './seed';
import { createPgLedgerStore } from './store';
import { createPgLedgerWriter } from './writer';

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
  async open(access, code, logger, observe) {
    const handles = await openPgRegister(access, logger, observe);
    return {
      ...createPgLedgerStore(handles.reader.db, code, handles.close),
      writer: createPgLedgerWriter(handles.writer.db),
    };
  },
};
