// Process entry: stock @apollo/gateway with its defaults (RemoteGraphQLDataSource) on a supergraph file.
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

async function main() {
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(process.env.BENCH_SUPERGRAPH ?? '', 'utf8'),
  });
  const server = new ApolloServer({ gateway });
  await startStandaloneServer(server, { listen: { port: Number(process.env.PORT), host: '127.0.0.1' } });
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
