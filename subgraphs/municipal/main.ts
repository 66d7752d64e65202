// Entry point of one municipality's subgraph server (one process per municipality).
import { DEMO_SHAPE } from '../../scripts/region/demo';
import { generateRegion } from '../../scripts/seed/region';
import { createLogger } from '../common/logger';
import { openPostgres, pgConnectionOf } from '../common/postgres';
import { createNativeTables, isSeeded, seedNative } from './adapters/native/seed';
import { createNativeStore } from './adapters/native/store';
import { municipalConfigFromEnv } from './config';
import { startMunicipalServer } from './server';

async function main() {
  const config = municipalConfigFromEnv();
  const log = createLogger(`municipal-${config.municipalities.join('+')}`, config.logLevel);
  const handle = await openPostgres(pgConnectionOf(config.database));
  await createNativeTables(handle);
  if (config.seedDemo && !(await isSeeded(handle))) {
    const started = Date.now();
    await seedNative(handle, generateRegion(DEMO_SHAPE), config.municipalities);
    log.info({ ms: Date.now() - started }, 'seeded the demo records');
  }
  const store = createNativeStore(handle.db, config.municipalities);
  const server = await startMunicipalServer({ store, port: config.port, host: config.host, log });
  log.info({ url: server.url }, 'municipal subgraph ready');
  const stop = async () => {
    await server.close();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
