// Process entry: Crossgate's regional gateway (fan-out) with Server-Timing, for the domain workloads.
import { GatewayConfigSchema } from '../../gateway/src/config';
import { createSubgraphHttpClient } from '../../gateway/src/datasources/http-client';
import { startGateway } from '../../gateway/src/server';

async function main() {
  const env = process.env;
  const config = GatewayConfigSchema.parse({
    port: env.PORT,
    host: '127.0.0.1',
    registryUrl: env.REGISTRY_URL,
    shardTimeoutMs: 10_000,
    membershipRefreshMs: 0,
    logLevel: 'silent',
    development: false,
  });
  await startGateway(config, {
    serverTiming: true,
    http: createSubgraphHttpClient({ dedupe: env.DEDUPE !== '0', connections: 64 }),
  });
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
