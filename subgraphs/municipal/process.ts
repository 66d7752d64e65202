// One municipality's subgraph process: configuration from the environment, its data, its server,
// a clean stop on SIGTERM. The entry points (main.ts, and the demo's in scripts/) call it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createAuthenticator } from '../../common/caller-tokens';
import { registryDirectory } from '../../common/directory-client';
import { drainOnSignal } from '../../common/lifecycle';
import { createLogger } from '../../common/logger';
import { MemberKeyring } from '../../common/member-keys';
import { createProcessMetrics } from '../../common/metrics';
import { MemoryNonceCache, RedisNonceCache } from '../../common/nonces';
import type { PgHandle } from '../../common/postgres';
import { ReloadJournal } from '../../common/reload';
import { sqlObserver } from '../../common/sql-observer';
import { tokenKeys } from '../../common/token-keys';
import { startTracing, tracingRequested } from '../../common/tracing';
import { LEGACY_ADAPTERS } from './adapters';
import type { MunicipalConfig } from './config';
import { municipalConfigFromEnv } from './config';
import type { IssuingSettings } from './issuing/issuer';
import { statusIndexes } from './issuing/status-indexes';
import { type DemoRegion, openMunicipalData } from './open-store';
import { agreementsInForce } from './policy/partners';
import { type PolicyFile, parsePolicyText, ReleasePolicy } from './policy/policy';
import { followPolicyFiles, PolicyBook } from './policy/policy-reload';
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
  // The registry is asked only when a partner-gated field is read: the server starts, and
  // serves everything else, whether or not the registry is up yet. One partner cache per
  // municipality, kept across policy reloads.
  const registryUrl = config.registryUrl;
  const partnerSources = new Map(
    config.municipalities.map((m) => [
      m,
      agreementsInForce({
        municipality: m,
        registryUrl: () => registryUrl,
        keyring,
        ttlMs: config.partnersTtlMs,
        timeoutMs: config.partnersTimeoutMs,
        now: Date.now,
        log,
      }),
    ]),
  );
  const buildPolicy = (file: PolicyFile) => new ReleasePolicy(file, partnerSources.get(file.municipality));
  const texts = new Map(
    config.municipalities.map((m) => [m, readFileSync(join(config.policyDir, `${m}.json`), 'utf8')]),
  );
  const book = new PolicyBook(
    config.municipalities.map((m) =>
      buildPolicy(parsePolicyText(texts.get(m) as string, join(config.policyDir, `${m}.json`))),
    ),
  );
  const reloads = new ReloadJournal(log.child({ component: 'reload' }), metrics);
  const policyFiles =
    config.policyPollMs > 0
      ? followPolicyFiles({
          book,
          dir: config.policyDir,
          pollMs: config.policyPollMs,
          build: buildPolicy,
          journal: reloads,
          log,
          initial: texts,
        })
      : undefined;
  const trust = {
    keyring,
    directory: registryDirectory({
      registryUrl: () => registryUrl,
      keyring,
      registryKeys: config.registryKeys,
      ttlMs: config.directoryTtlMs,
      staleMs: config.directoryStaleMs,
    }),
    windowMs: config.signatureWindowMs,
    authenticate: createAuthenticator({
      keys: tokenKeys(config.tokenKeys),
      issuer: config.tokenIssuer,
      audience: config.tokenAudience,
    }),
    nonces: redis ? new RedisNonceCache(redis, `crossgate:nonce:${code}:`) : new MemoryNonceCache(),
    policies: book.all(),
    policyOf: (m: string) => book.get(m),
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
    reloads,
    alerts: {
      db: data.ownRecords.db,
      pollMs: config.alertPollMs,
      retry: { initialMs: 500, maxMs: config.alertRetryMaxMs },
      timeoutMs: 5000,
    },
    refusalIntervalMs: config.auditRefusalIntervalMs,
    checkpoints: { registryUrl: () => registryUrl, intervalMs: config.auditCheckpointMs },
  });
  log.info({ url: server.url }, 'municipal subgraph listening');
  drainOnSignal({
    servers: [server],
    graceMs: config.shutdownGraceMs,
    log,
    release: async () => {
      policyFiles?.stop();
      await data.close();
      redis?.disconnect();
      await stopTracing?.();
    },
  });
}

/** The issuer URL under the public gateway, positions in the own-records database; the member's key signs. */
async function issuingOf(
  config: MunicipalConfig,
  ownRecords: PgHandle,
): Promise<IssuingSettings | undefined> {
  const { publicGatewayUrl } = config;
  if (!publicGatewayUrl) return undefined;
  return {
    publicBaseUrl: () => publicGatewayUrl,
    indexes: await statusIndexes(ownRecords),
    now: () => new Date(),
    statusTtlSeconds: config.statusListTtlSeconds,
  };
}
