// The normalised PostgreSQL register adapter: PGlite (a directory) or a PostgreSQL server (a URL).
import { openPostgres, pgConnectionOf } from '../../../common/postgres';
import type { MunicipalAdapter } from '../adapter';
import { postgresReader } from '../readers';
import { seedPgNormalised } from './seed';
import { createPgNormalisedStore } from './store';

export const pgNormalisedAdapter: MunicipalAdapter = {
  name: 'pg-normalised',
  dialect: 'postgresql',
  async seed(database, region, code) {
    const handle = await openPostgres(pgConnectionOf(database));
    try {
      return await seedPgNormalised(handle, region, code);
    } finally {
      await handle.close();
    }
  },
  readOnlyAccess: (database) => postgresReader(database),
  async open(database, code, logger) {
    const handle = await openPostgres(pgConnectionOf(database), logger, { readOnly: true });
    return createPgNormalisedStore(handle.db, code, () => handle.close());
  },
};
