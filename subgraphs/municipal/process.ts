// One municipality's subgraph process: configuration from the environment, its data, its server,
// a clean stop on SIGTERM. The entry points (main.ts, and the demo's in scripts/) call it.
import { join } from 'node:path';
import Redis from 'ioredis';
import { drainOnSignal } from '../../common/lifecycle';
import { createLogger } from '../../common/logger';
import { createProcessMetrics } from '../../common/metrics';
import type { PgHandle } from '../../common/postgres';
import { createRequestVerifier, MemoryNonceCache, RedisNonceCache } from '../../common/signature';
import { sqlObserver } from '../../common/sql-observer';
import { startTracing, tracingRequested } from '../../common/tracing';
import { LEGACY_ADAPTERS } from './adapters';
import type { MunicipalConfig } from './config';
import { municipalConfigFromEnv } from './config';
import type { Issuing } from './issuing/issuer';
import { loadOrCreateIssuerKey } from './issuing/signing-key';
import { statusIndexes } from './issuing/status-indexes';
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
  const trust = {
    verify: createRequestVerifier({
      secrets: config.subgraphSecrets,
      windowMs: config.signatureWindowMs,
      nonces: redis ? new RedisNonceCache(redis, `crossgate:nonce:${code}:`) : new MemoryNonceCache(),
    }),
    // The registry is asked only when a partner-gated field is read: the server starts, and
    // serves everything else, whether or not the registry is up yet.
    policies: config.municipalities.map((m) => {
      const registryUrl = config.registryUrl;
      const partners = registryUrl
        ? agreementsInForce({
            municipality: m,
            registryUrl: () => registryUrl,
            secret: config.subgraphSecrets[0] as string,
            ttlMs: config.partnersTtlMs,
            timeoutMs: config.partnersTimeoutMs,
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
    metrics,
    issuing: await issuingOf(config, data.ownRecords),
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

/** Issuer keys from the key folder (created on first start), positions in the own-records database. */
async function issuingOf(config: MunicipalConfig, ownRecords: PgHandle): Promise<Issuing | undefined> {
  const { issuerKeyDir, publicGatewayUrl } = config;
  if (!issuerKeyDir || !publicGatewayUrl) return undefined;
  return {
    keys: new Map(
      config.municipalities.map((m) => [m, loadOrCreateIssuerKey(join(issuerKeyDir, `${m}-issuer.pem`))]),
    ),
    publicBaseUrl: () => publicGatewayUrl,
    indexes: await statusIndexes(ownRecords),
    now: () => new Date(),
    statusTtlSeconds: config.statusListTtlSeconds,
  };
}
