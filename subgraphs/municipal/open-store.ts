// Opens a municipality's store and audit log from its configuration: the native schema or a legacy
// adapter (seeding the records its entry point passes in first, reading through a read-only login
// and writing through the owner's).

import type { Logger } from '../../common/logger';
import { openPostgres, type PgHandle, pgConnectionOf } from '../../common/postgres';
import type { RegionData } from '../../common/region-records';
import type { SqlObserver } from '../../common/sql-observer';
import { LEGACY_ADAPTERS } from './adapters';
import { openNativeStore } from './adapters/native';
import { createNativeAuditStore } from './adapters/native/audit';
import { createNativeTables, isSeeded, seedNative } from './adapters/native/seed';
import { withSideRecords } from './adapters/register-with-side-records';
import type { AuditStore } from './audit/chain';
import type { MunicipalConfig } from './config';
import type { MunicipalStore } from './store';

/** The records an entry point seeds into an empty database (the demo's generated region). */
export type DemoRegion = () => RegionData;

export interface MunicipalData {
  store: MunicipalStore;
  audit: AuditStore;
  /** The database of the region's own records: the native one, or a legacy register's side database. */
  ownRecords: PgHandle;
  close(): Promise<void>;
}

async function openStore(
  config: MunicipalConfig,
  log: Logger,
  demoRegion: DemoRegion | undefined,
  observe?: SqlObserver,
): Promise<{ store: MunicipalStore; handle?: PgHandle }> {
  const started = Date.now();
  if (config.adapter === 'native') {
    const handle = await openPostgres(pgConnectionOf(config.database), undefined, {
      observe,
      poolSize: config.databasePoolSize,
    });
    await createNativeTables(handle);
    if (demoRegion && !(await isSeeded(handle))) {
      await seedNative(handle, demoRegion(), config.municipalities);
      log.info({ ms: Date.now() - started }, 'seeded the demo records');
    }
    return { store: await openNativeStore(handle, config.municipalities), handle };
  }
  const adapter = LEGACY_ADAPTERS[config.adapter];
  const [code] = config.municipalities as [string];
  if (demoRegion && (await adapter.seed(config.database, demoRegion(), code))) {
    log.info({ ms: Date.now() - started, adapter: adapter.name }, 'seeded the demo records');
  }
  const reader = config.readerDatabase ?? (await adapter.readOnlyAccess(config.database));
  const register = await adapter.open({ reader, owner: config.database }, code, undefined, observe);
  if (!config.auditDatabase) throw new Error('AUDIT_DATABASE is required for a legacy adapter');
  const side = await openPostgres(pgConnectionOf(config.auditDatabase), undefined, {
    poolSize: config.databasePoolSize,
  });
  return { store: await withSideRecords(register, side), handle: side };
}

/** Opens the store and audit log; `observe` counts and traces every statement of the read path. */
export async function openMunicipalData(
  config: MunicipalConfig,
  log: Logger,
  demoRegion?: DemoRegion,
  observe?: SqlObserver,
): Promise<MunicipalData> {
  const { store, handle } = await openStore(config, log, demoRegion, observe);
  // A legacy store's side database is the audit database: one handle, as a PGlite directory opens once.
  const auditHandle =
    config.auditDatabase && config.adapter === 'native'
      ? await openPostgres(pgConnectionOf(config.auditDatabase), undefined, {
          poolSize: config.databasePoolSize,
        })
      : handle;
  if (!auditHandle) throw new Error('AUDIT_DATABASE is required for a legacy adapter');
  if (!handle) throw new Error('the store opened no database of its own records');
  return {
    store,
    audit: await createNativeAuditStore(auditHandle),
    ownRecords: handle,
    async close() {
      await store.close();
      if (auditHandle !== handle) await auditHandle.close();
      await handle.close();
    },
  };
}
