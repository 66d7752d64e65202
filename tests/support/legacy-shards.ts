// In-process shards over legacy adapters: each seeds its register, reads it through its reader,
// writes it as its owner, and keeps the region's own records (side records, audit log, status list
// positions) in one side PGlite database, as a deployment's AUDIT_DATABASE does.

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
    store: async (region, counter, ownRecords) => {
      await adapter.seed(database, region, code);
      if (plant) await plant(database);
      const reader = await adapter.readOnlyAccess(database);
      const register = await adapter.open({ reader, owner: database }, code, counter);
      // The harness closes the own-records database with the region, after the store.
      return withSideRecords(register, await ownRecords());
    },
  };
}
