// Process entry: Crossgate's regional gateway (fan-out, tokens, signed forwarding) with Server-Timing.
// Env: PORT, REGISTRY_URL, JWKS, KEY_DIR (the region's gateway key folder), REGISTRY_KEYS, DEDUPE;
// OBSERVED=1 (metrics scraped, tracing from OTEL_*), SIGNATURES=off (a region started the same way).
import { GatewayConfigSchema } from '../../gateway/src/config';
import { createSubgraphHttpClient } from '../../gateway/src/datasources/http-client';
import { startGateway } from '../../gateway/src/server';
import { DEMO_AUDIENCE, DEMO_ISSUER } from '../../scripts/region/keys';
import { exitOnSigterm } from './exit';
import { observedFromEnv } from './observed';
import { unsignedFromEnv, unsignedGateway } from './unsigned';

async function main() {
  exitOnSigterm(1);
  const env = process.env;
  const config = GatewayConfigSchema.parse({
    port: env.PORT,
    host: '127.0.0.1',
    registryUrl: env.REGISTRY_URL,
    shardTimeoutMs: 10_000,
    membershipRefreshMs: 0,
    logLevel: 'silent',
    development: false,
    tokenKeys: { kind: 'jwks', jwks: JSON.parse(env.JWKS ?? '{}') },
    tokenIssuer: DEMO_ISSUER,
    tokenAudience: DEMO_AUDIENCE,
    keyDir: env.KEY_DIR,
    registryKeys: env.REGISTRY_KEYS,
    rateLimitPerMinute: 10_000_000,
    maxCost: 1_000_000,
  });
  const metrics = await observedFromEnv(env);
  await startGateway(config, {
    serverTiming: true,
    http: createSubgraphHttpClient({ dedupe: env.DEDUPE !== '0', connections: 64 }),
    ...(metrics ? { metrics } : {}),
    ...(unsignedFromEnv(env) ? { signatures: unsignedGateway() } : {}),
  });
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
