// Process entry: Crossgate's gateway stack on a supergraph file (env BENCH_SUPERGRAPH, PORT, WORKERS, DEDUPE).
import { readFileSync } from 'node:fs';
import { startFederatedGateway } from '../../gateway/src/federated';
import { runWorkers } from '../../gateway/src/workers';
import { exitOnSigterm } from './exit';

const env = process.env;
exitOnSigterm(Number(env.WORKERS ?? 1));
runWorkers({
  count: Number(env.WORKERS ?? 1),
  start: () =>
    startFederatedGateway({
      supergraphSdl: readFileSync(env.BENCH_SUPERGRAPH ?? '', 'utf8'),
      port: Number(env.PORT),
      dedupe: env.DEDUPE !== '0',
      serverTiming: env.SERVER_TIMING === '1',
    }),
  onReady: () => process.stdout.write(`${JSON.stringify({ ready: true })}\n`),
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
