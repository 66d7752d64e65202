// The registry's subgraph process: configuration from the environment, its database, its server, a
// clean stop on SIGTERM. The entry points (main.ts, and the demo's in scripts/) call it.
import Redis from 'ioredis';
import { z } from 'zod';
import { MEMBER_ROLES } from '../../common/key-directory';
import { drainOnSignal } from '../../common/lifecycle';
import { createLogger } from '../../common/logger';
import { MemberKeyring } from '../../common/member-keys';
import { createProcessMetrics } from '../../common/metrics';
import { MemoryNonceCache, RedisNonceCache } from '../../common/nonces';
import { openPostgres, pgConnectionOf } from '../../common/postgres';
import { sqlObserver } from '../../common/sql-observer';
import { startTracing, tracingRequested } from '../../common/tracing';
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

const Endpoints = z.array(z.object({ code: z.string(), credentialsUrl: z.url(), workforceUrl: z.url() }));

const AdmittedKeys = z.array(
  z.object({ member: z.string().min(1), role: z.enum(MEMBER_ROLES), jwk: z.record(z.string(), z.unknown()) }),
);

const ConfigSchema = z.object({
  database: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().default('127.0.0.1'),
  /** JSON list of {code, credentialsUrl, workforceUrl}: the demo's member endpoints. */
  memberEndpoints: z
    .string()
    .optional()
    .transform((s) => (s ? Endpoints.parse(JSON.parse(s)) : [])),
  logLevel: z.string().default('info'),
  /** The registry's data folder for its own key pair (created on first start, never shared). */
  keyDir: z.string().min(1),
  /** JSON list of {member, role, jwk}: members' public keys admitted at start (the demo's operator passes them). */
  memberKeys: z
    .string()
    .optional()
    .transform((s) => (s ? AdmittedKeys.parse(JSON.parse(s)) : [])),
  /** How long the registry's copy of the key table is used before it is read again. */
  directoryTtlMs: z.coerce.number().int().positive().default(30_000),
  /** How far a signed request's timestamp may drift from this server's clock. */
  signatureWindowMs: z.coerce.number().int().positive().default(60_000),
  /** When set, replicas of the registry share the nonce cache (replay protection) in this Redis. */
  redisUrl: z.string().optional(),
  /** On SIGTERM, how long requests in flight may run before the process exits anyway. */
  shutdownGraceMs: z.coerce.number().int().min(0).max(600_000).default(10_000),
});

/** Runs the process until SIGTERM or SIGINT; `demo`, when given, seeds an empty registry first. */
export async function runRegistryProcess(demo?: () => RegistrySeed): Promise<void> {
  const parsed = ConfigSchema.safeParse({
    database: process.env.DATABASE,
    port: process.env.PORT,
    host: process.env.HOST,
    memberEndpoints: process.env.MEMBER_ENDPOINTS,
    logLevel: process.env.LOG_LEVEL,
    keyDir: process.env.KEY_DIR,
    memberKeys: process.env.MEMBER_KEYS,
    directoryTtlMs: process.env.DIRECTORY_TTL_MS,
    signatureWindowMs: process.env.SIGNATURE_WINDOW_MS,
    redisUrl: process.env.REDIS_URL,
    shutdownGraceMs: process.env.SHUTDOWN_GRACE_MS,
  });
  if (!parsed.success) {
    throw new Error(
      `Invalid registry configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const config = parsed.data;
  const log = createLogger('registry', config.logLevel);
  const stopTracing = tracingRequested()
    ? await startTracing({ serviceName: 'crossgate-registry' })
    : undefined;
  const metrics = createProcessMetrics('registry');
  const handle = await openPostgres(pgConnectionOf(config.database), undefined, {
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
  const server = await startRegistryServer({
    store: createRegistryStore(handle.db),
    port: config.port,
    host: config.host,
    log,
    trust: {
      keyring: MemberKeyring.open(config.keyDir, 'registry'),
      windowMs: config.signatureWindowMs,
      directoryTtlMs: config.directoryTtlMs,
      nonces: redis ? new RedisNonceCache(redis, 'crossgate:nonce:registry:') : new MemoryNonceCache(),
      admit: config.memberKeys as never,
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
