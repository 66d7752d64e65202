// Entry point of one municipality's subgraph server (one process per municipality).

import { join } from 'node:path';
import Redis from 'ioredis';
import { DEMO_SHAPE } from '../../scripts/region/demo';
import { generateRegion } from '../../scripts/seed/region';
import { createLogger } from '../common/logger';
import { openPostgres, pgConnectionOf } from '../common/postgres';
import { createRequestVerifier, MemoryNonceCache, RedisNonceCache } from '../common/signature';
import { createNativeAuditStore } from './adapters/native/audit';
import { createNativeTables, isSeeded, seedNative } from './adapters/native/seed';
import { createNativeStore } from './adapters/native/store';
import { municipalConfigFromEnv } from './config';
import { ReleasePolicy, readPolicyFile } from './policy/policy';
import { startMunicipalServer } from './server';

async function main() {
  const config = municipalConfigFromEnv();
  const log = createLogger(`municipal-${config.municipalities.join('+')}`, config.logLevel);
  const handle = await openPostgres(pgConnectionOf(config.database));
  await createNativeTables(handle);
  if (config.seedDemo && !(await isSeeded(handle))) {
    const started = Date.now();
    await seedNative(handle, generateRegion(DEMO_SHAPE), config.municipalities);
    log.info({ ms: Date.now() - started }, 'seeded the demo records');
  }
  const store = createNativeStore(handle.db, config.municipalities);
  const redis = config.redisUrl ? new Redis(config.redisUrl) : undefined;
  const code = config.municipalities.join('+');
  const trust = {
    verify: createRequestVerifier({
      secrets: config.subgraphSecrets,
      windowMs: config.signatureWindowMs,
      nonces: redis ? new RedisNonceCache(redis, `crossgate:nonce:${code}:`) : new MemoryNonceCache(),
    }),
    policies: config.municipalities.map(
      (m) => new ReleasePolicy(readPolicyFile(join(config.policyDir, `${m}.json`))),
    ),
    audit: await createNativeAuditStore(handle),
  };
  const server = await startMunicipalServer({ store, port: config.port, host: config.host, log, trust });
  log.info({ url: server.url }, 'municipal subgraph ready');
  const stop = async () => {
    await server.close();
    await handle.close();
    redis?.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
