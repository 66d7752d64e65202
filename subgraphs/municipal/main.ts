// Entry point of one municipality's subgraph server (one process per municipality).
import { createLogger } from '../common/logger';
import { municipalConfigFromEnv } from './config';
import { openMunicipalStore } from './open-store';
import { startMunicipalServer } from './server';

async function main() {
  const config = municipalConfigFromEnv();
  const log = createLogger(`municipal-${config.municipalities.join('+')}`, config.logLevel);
  const store = await openMunicipalStore(config, log);
  const server = await startMunicipalServer({ store, port: config.port, host: config.host, log });
  log.info({ url: server.url }, 'municipal subgraph ready');
  const stop = async () => {
    await server.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
