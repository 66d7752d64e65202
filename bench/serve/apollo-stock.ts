// Process entry: stock @apollo/gateway with its defaults (RemoteGraphQLDataSource) on a supergraph file;
// WORKERS > 1 runs it as a node:cluster of that many workers on one port, as public benchmarks run it.
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { runWorkers } from '../../gateway/src/workers';
import { exitOnSigterm } from './exit';

async function startStock() {
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(process.env.BENCH_SUPERGRAPH ?? '', 'utf8'),
  });
  const server = new ApolloServer({ gateway });
  await startStandaloneServer(server, { listen: { port: Number(process.env.PORT), host: '127.0.0.1' } });
}

exitOnSigterm(Number(process.env.WORKERS ?? 1));
runWorkers({
  count: Number(process.env.WORKERS ?? 1),
  start: startStock,
  onReady: () => process.stdout.write(`${JSON.stringify({ ready: true })}\n`),
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
