// In-process shards over legacy adapters: each seeds its register, reads it through its reader,
// writes it as its owner, and keeps the region's own records in a side PGlite database, as a deployment does.

import { openPostgres } from '../../common/postgres';
import type { MunicipalAdapter } from '../../subgraphs/municipal/adapters/adapter';
import { withSideRecords } from '../../subgraphs/municipal/adapters/register-with-side-records';
import type { ShardSpec } from './in-process';

export function legacyShard(
  code: string,
  adapter: MunicipalAdapter,
  database: string,
  plant?: (database: string) => Promise<void>,
): ShardSpec {
  return {
    codes: [code],
    store: async (region, counter) => {
      await adapter.seed(database, region, code);
      if (plant) await plant(database);
      const reader = await adapter.readOnlyAccess(database);
      const register = await adapter.open({ reader, owner: database }, code, counter);
      const side = await openPostgres({ kind: 'pglite' });
      const store = await withSideRecords(register, side);
      return {
        ...store,
        ownRecords: side,
        async close() {
          await store.close();
          await side.close();
        },
      };
    },
  };
}
