// The normalised PostgreSQL register adapter: PGlite (a directory) or a PostgreSQL server (a URL).
import { openPostgres, pgConnectionOf } from '../../../../common/postgres';
import type { MunicipalAdapter } from '../adapter';
import { openPgRegister } from '../pg-register';
import { postgresReader } from '../reader-logins';
import { seedPgNormalised } from './seed';
import { createPgNormalisedStore } from './store';
import { createPgNormalisedWriter } from './writer';

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
  async open(access, code, logger, observe) {
    const handles = await openPgRegister(access, logger, observe);
    return {
      ...createPgNormalisedStore(handles.reader.db, code, handles.close),
      writer: createPgNormalisedWriter(handles.writer.db),
    };
  },
};
