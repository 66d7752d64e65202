// Opens a municipality's store from its configuration: the native schema or a legacy adapter,
// seeding the demo's records first when asked, and reading through a read-only login.
import { demoShape } from '../../scripts/region/demo';
import { generateRegion } from '../../scripts/seed/region';
import type { Logger } from '../common/logger';
import { openPostgres, pgConnectionOf } from '../common/postgres';
import { LEGACY_ADAPTERS } from './adapters';
import { createNativeTables, isSeeded, seedNative } from './adapters/native/seed';
import { createNativeStore } from './adapters/native/store';
import type { MunicipalConfig } from './config';
import type { MunicipalStore } from './store';

export async function openMunicipalStore(config: MunicipalConfig, log: Logger): Promise<MunicipalStore> {
  const started = Date.now();
  if (config.adapter === 'native') {
    const handle = await openPostgres(pgConnectionOf(config.database));
    await createNativeTables(handle);
    if (config.seedDemo && !(await isSeeded(handle))) {
      await seedNative(handle, generateRegion(demoShape()), config.municipalities);
      log.info({ ms: Date.now() - started }, 'seeded the demo records');
    }
    return { ...createNativeStore(handle.db, config.municipalities), close: () => handle.close() };
  }
  const adapter = LEGACY_ADAPTERS[config.adapter];
  const [code] = config.municipalities as [string];
  if (config.seedDemo && (await adapter.seed(config.database, generateRegion(demoShape()), code))) {
    log.info({ ms: Date.now() - started, adapter: adapter.name }, 'seeded the demo records');
  }
  const reader = config.readerDatabase ?? (await adapter.readOnlyAccess(config.database));
  return adapter.open(reader, code);
}
