// Entry point of the regional gateway.
import { createLogger } from '../subgraphs/common/logger';
import { gatewayConfigFromEnv } from './src/config';
import { createSubgraphHttpClient } from './src/datasources/http-client';
import { startGateway } from './src/server';

async function main() {
  const config = gatewayConfigFromEnv();
  const log = createLogger('gateway', config.logLevel);
  // identical reads in flight are sent once (see BENCHMARKS.md); mutations never are
  const http = createSubgraphHttpClient({ dedupe: true });
  const gateway = await startGateway(config, { log, http });
  log.info({ url: gateway.graphqlUrl }, 'gateway ready');
  const stop = async () => {
    await gateway.close();
    await http.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
