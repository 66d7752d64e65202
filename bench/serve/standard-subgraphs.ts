// Process entry: the standard workload's four subgraphs, one port each; prints their URLs as JSON.
import { serveLean } from '../lib/lean-graphql';
import { STANDARD_SUBGRAPHS, type StandardSubgraph, standardSchema } from '../standard/subgraphs';

async function main() {
  const basePort = Number(process.env.BENCH_SUBGRAPH_PORT ?? 0);
  const urls = {} as Record<StandardSubgraph, string>;
  for (const [i, name] of STANDARD_SUBGRAPHS.entries()) {
    const server = await serveLean(standardSchema(name), basePort === 0 ? 0 : basePort + i);
    urls[name] = server.url;
  }
  process.stdout.write(`${JSON.stringify({ ready: true, urls })}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
