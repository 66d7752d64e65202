// Entry point of the regional gateway; GATEWAY_WORKERS processes (node:cluster) share its port.
import { drainOnSignal } from '../common/lifecycle';
import { createLogger } from '../common/logger';
import { createProcessMetrics } from '../common/metrics';
import { startTracing, tracingRequested } from '../common/tracing';
import { gatewayConfigFromEnv, gatewayWorkersFromEnv } from './src/config';
import { createSubgraphHttpClient } from './src/datasources/http-client';
import { startGateway } from './src/server';
import { runWorkers } from './src/workers';

async function start() {
  const config = gatewayConfigFromEnv();
  const log = createLogger('gateway', config.logLevel);
  const stopTracing = tracingRequested()
    ? await startTracing({ serviceName: 'crossgate-gateway' })
    : undefined;
  // identical reads in flight are sent once (see BENCHMARKS.md); mutations never are
  const http = createSubgraphHttpClient({ dedupe: true });
  const gateway = await startGateway(config, { log, http, metrics: createProcessMetrics('gateway') });
  log.info({ url: gateway.graphqlUrl, pid: process.pid }, 'gateway listening');
  drainOnSignal({
    servers: [gateway],
    graceMs: config.shutdownGraceMs,
    log,
    release: async () => {
      await http.close();
      await stopTracing?.();
    },
  });
}

function fail(e: unknown): never {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}

let workers: number;
try {
  workers = gatewayWorkersFromEnv();
  // Checked here, before any worker starts: a wrong value stops the process at once with its name.
  gatewayConfigFromEnv();
} catch (e) {
  fail(e);
}
runWorkers({ count: workers, start }).catch(fail);
