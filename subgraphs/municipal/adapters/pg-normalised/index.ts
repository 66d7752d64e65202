// The normalised PostgreSQL register adapter: PGlite (a directory) or a PostgreSQL server (a URL).
import { openPostgres, pgConnectionOf } from '../../../../common/postgres';
import { mappedAdapter } from '../kit/adapter';
import { pgNormalisedMapping } from './mapping';
import { seedPgNormalised } from './seed';

export const pgNormalisedAdapter = mappedAdapter(pgNormalisedMapping, async (database, region, code) => {
  const handle = await openPostgres(pgConnectionOf(database));
  try {
    return await seedPgNormalised(handle, region, code);
  } finally {
    await handle.close();
  }
});
