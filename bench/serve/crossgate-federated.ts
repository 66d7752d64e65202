// Process entry: Crossgate's gateway stack on a supergraph file (env BENCH_SUPERGRAPH, PORT, WORKERS, DEDUPE;
// OBSERVED=1 adds metrics on /metrics and tracing from the OTEL_* variables).
import { readFileSync } from 'node:fs';
import { startFederatedGateway } from '../../gateway/src/federated';
import { runWorkers } from '../../gateway/src/workers';
import { exitOnSigterm } from './exit';
import { observedFromEnv } from './observed';

const env = process.env;
exitOnSigterm(Number(env.WORKERS ?? 1));
runWorkers({
  count: Number(env.WORKERS ?? 1),
  start: async () =>
    startFederatedGateway(
      {
        supergraphSdl: readFileSync(env.BENCH_SUPERGRAPH ?? '', 'utf8'),
        port: Number(env.PORT),
        dedupe: env.DEDUPE !== '0',
        serverTiming: env.SERVER_TIMING === '1',
      },
      { metrics: await observedFromEnv(env) },
    ),
  onReady: () => process.stdout.write(`${JSON.stringify({ ready: true })}\n`),
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
