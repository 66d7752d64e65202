// One municipality's subgraph process: configuration from the environment, its data, its server,
// a clean stop on SIGTERM. The entry points (main.ts, and the demo's in scripts/) call it.
import { join } from 'node:path';
import Redis from 'ioredis';
import { registryDirectory } from '../../common/directory-client';
import { drainOnSignal } from '../../common/lifecycle';
import { createLogger } from '../../common/logger';
import { MemberKeyring } from '../../common/member-keys';
import { createProcessMetrics } from '../../common/metrics';
import { MemoryNonceCache, RedisNonceCache } from '../../common/nonces';
import { sqlObserver } from '../../common/sql-observer';
import { startTracing, tracingRequested } from '../../common/tracing';
import { LEGACY_ADAPTERS } from './adapters';
import { municipalConfigFromEnv } from './config';
import { type DemoRegion, openMunicipalData } from './open-store';
import { agreementsInForce } from './policy/partners';
import { ReleasePolicy, readPolicyFile } from './policy/policy';
import { startMunicipalServer } from './server';

/** Runs the process until SIGTERM or SIGINT; `demoRegion`, when given, seeds an empty database first. */
export async function runMunicipalProcess(demoRegion?: DemoRegion): Promise<void> {
  const config = municipalConfigFromEnv();
  const code = config.municipalities.join('+');
  const log = createLogger(`municipal-${code}`, config.logLevel);
  const stopTracing = tracingRequested()
    ? await startTracing({ serviceName: `crossgate-municipal-${code}` })
    : undefined;
  const metrics = createProcessMetrics('municipal');
  const system = config.adapter === 'native' ? 'postgresql' : LEGACY_ADAPTERS[config.adapter].dialect;
  const data = await openMunicipalData(config, log, demoRegion, sqlObserver(metrics, config.adapter, system));
  const redis = config.redisUrl ? new Redis(config.redisUrl) : undefined;
  const keyring = MemberKeyring.open(config.keyDir, code);
  const registryUrl = config.registryUrl;
  const trust = {
    keyring,
    directory: registryDirectory({
      registryUrl: () => registryUrl,
      keyring,
      registryKeys: config.registryKeys,
      ttlMs: config.directoryTtlMs,
    }),
    windowMs: config.signatureWindowMs,
    nonces: redis ? new RedisNonceCache(redis, `crossgate:nonce:${code}:`) : new MemoryNonceCache(),
    // The registry is asked only when a partner-gated field is read: the server starts, and
    // serves everything else, whether or not the registry is up yet.
    policies: config.municipalities.map((m) => {
      const partners = agreementsInForce({
        municipality: m,
        registryUrl: () => registryUrl,
        keyring,
        ttlMs: config.partnersTtlMs,
        timeoutMs: config.partnersTimeoutMs,
        now: Date.now,
        log,
      });
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
    metrics,
  });
  log.info({ url: server.url }, 'municipal subgraph listening');
  drainOnSignal({
    servers: [server],
    graceMs: config.shutdownGraceMs,
    log,
    release: async () => {
      await data.close();
      redis?.disconnect();
      await stopTracing?.();
    },
  });
}
