// The registry's subgraph process: configuration from the environment, its database, its server, a
// clean stop on SIGTERM. The entry points (main.ts, and the demo's in scripts/) call it.
import { readFile } from 'node:fs/promises';
import Redis from 'ioredis';
import { createAuthenticator } from '../../common/caller-tokens';
import { drainOnSignal } from '../../common/lifecycle';
import { createLogger } from '../../common/logger';
import { MemberKeyring } from '../../common/member-keys';
import { createProcessMetrics } from '../../common/metrics';
import { MemoryNonceCache, RedisNonceCache } from '../../common/nonces';
import { openPostgres, pgConnectionOf } from '../../common/postgres';
import { sqlObserver } from '../../common/sql-observer';
import { tokenKeys } from '../../common/token-keys';
import { startTracing, tracingRequested } from '../../common/tracing';
import { registryConfigFromEnv } from './config';
import { municipality } from './db/schema';
import {
  createRegistryTables,
  hasNoAgreements,
  type RegistrySeed,
  seedAgreements,
  seedRegistry,
  setMemberEndpoints,
} from './seed';
import { startRegistryServer } from './server';
import { createRegistryStore } from './store';

/** Runs the process until SIGTERM or SIGINT; `demo`, when given, seeds an empty registry first. */
export async function runRegistryProcess(demo?: () => RegistrySeed): Promise<void> {
  const config = registryConfigFromEnv();
  const log = createLogger('registry', config.logLevel);
  const stopTracing = tracingRequested()
    ? await startTracing({ serviceName: 'crossgate-registry' })
    : undefined;
  const metrics = createProcessMetrics('registry');
  const handle = await openPostgres(pgConnectionOf(config.database), undefined, {
    poolSize: config.databasePoolSize,
    observe: sqlObserver(metrics, 'registry', 'postgresql'),
  });
  await createRegistryTables(handle);
  const empty =
    (await handle.db.select({ code: municipality.code }).from(municipality).limit(1)).length === 0;
  if (demo && empty) await seedRegistry(handle, demo(), config.memberEndpoints);
  else if (config.memberEndpoints.length) await setMemberEndpoints(handle, config.memberEndpoints);
  if (demo && !empty && (await hasNoAgreements(handle))) {
    const seed = demo();
    await seedAgreements(
      handle,
      seed.region.municipalities.map((m) => m.code),
      seed.agreements,
    );
  }
  const redis = config.redisUrl ? new Redis(config.redisUrl) : undefined;
  const supergraphFile = config.supergraphFile;
  const server = await startRegistryServer({
    store: createRegistryStore(handle.db),
    port: config.port,
    host: config.host,
    log,
    supergraph: supergraphFile ? () => readFile(supergraphFile, 'utf8') : undefined,
    trust: {
      keyring: MemberKeyring.open(config.keyDir, 'registry'),
      windowMs: config.signatureWindowMs,
      directoryTtlMs: config.directoryTtlMs,
      nonces: redis ? new RedisNonceCache(redis, 'crossgate:nonce:registry:') : new MemoryNonceCache(),
      admit: config.memberKeys as never,
      authenticate: createAuthenticator({
        keys: tokenKeys(config.tokenKeys),
        issuer: config.tokenIssuer,
        audience: config.tokenAudience,
      }),
    },
    metrics,
  });
  log.info({ url: server.graphqlUrl }, 'registry listening');
  drainOnSignal({
    servers: [server],
    graceMs: config.shutdownGraceMs,
    log,
    release: async () => {
      await handle.close();
      redis?.disconnect();
      await stopTracing?.();
    },
  });
}
