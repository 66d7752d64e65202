// In-process shards over legacy adapters: each seeds its register, reads it through its reader,
// and keeps the region's own records in a side PGlite database, as a deployment does.
import type { ShardSpec } from '../../scripts/region/in-process';
import { openPostgres } from '../../subgraphs/common/postgres';
import type { MunicipalAdapter } from '../../subgraphs/municipal/adapters/adapter';
import { withSideRecords } from '../../subgraphs/municipal/adapters/side-records';

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
      const reads = await adapter.open(await adapter.readOnlyAccess(database), code, counter);
      const side = await openPostgres({ kind: 'pglite' });
      const store = await withSideRecords(reads, side);
      return {
        ...store,
        async close() {
          await reads.close();
          await side.close();
        },
      };
    },
  };
}
