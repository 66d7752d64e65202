// One municipality's subgraph process: configuration from the environment, its data, its server,
// a clean stop on SIGTERM. The entry points (main.ts, and the demo's in scripts/) call it.
import { join } from 'node:path';
import Redis from 'ioredis';
import { createLogger } from '../../common/logger';
import { createRequestVerifier, MemoryNonceCache, RedisNonceCache } from '../../common/signature';
import { municipalConfigFromEnv } from './config';
import { type DemoRegion, openMunicipalData } from './open-store';
import { agreementsInForce } from './policy/partners';
import { ReleasePolicy, readPolicyFile } from './policy/policy';
import { startMunicipalServer } from './server';

/** Runs the process until SIGTERM or SIGINT; `demoRegion`, when given, seeds an empty database first. */
export async function runMunicipalProcess(demoRegion?: DemoRegion): Promise<void> {
  const config = municipalConfigFromEnv();
  const log = createLogger(`municipal-${config.municipalities.join('+')}`, config.logLevel);
  const data = await openMunicipalData(config, log, demoRegion);
  const redis = config.redisUrl ? new Redis(config.redisUrl) : undefined;
  const code = config.municipalities.join('+');
  const trust = {
    verify: createRequestVerifier({
      secrets: config.subgraphSecrets,
      windowMs: config.signatureWindowMs,
      nonces: redis ? new RedisNonceCache(redis, `crossgate:nonce:${code}:`) : new MemoryNonceCache(),
    }),
    policies: config.municipalities.map((m) => {
      const registryUrl = config.registryUrl;
      const partners = registryUrl
        ? agreementsInForce({
            municipality: m,
            registryUrl: () => registryUrl,
            secret: config.subgraphSecrets[0] as string,
            ttlMs: config.partnersTtlMs,
            timeoutMs: 5000,
            now: Date.now,
            log,
          })
        : undefined;
      return new ReleasePolicy(readPolicyFile(join(config.policyDir, `${m}.json`)), partners);
    }),
    audit: data.audit,
  };
  const server = await startMunicipalServer({
    store: data.store,
    port: config.port,
    host: config.host,
    log,
    trust,
  });
  log.info({ url: server.url }, 'municipal subgraph ready');
  const stop = async () => {
    await server.close();
    await data.close();
    redis?.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
