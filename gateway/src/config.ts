// The gateway's configuration: environment parsed once with a schema; every problem reported at once.
import { z } from 'zod';

const KeySourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: z.string().min(1) }),
  z.object({ kind: z.literal('url'), url: z.url() }),
  z.object({ kind: z.literal('jwks'), jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) }),
]);

export const GatewayConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4000),
  host: z.string().default('127.0.0.1'),
  registryUrl: z.url(),
  shardTimeoutMs: z.coerce.number().int().positive().default(5000),
  membershipRefreshMs: z.coerce.number().int().min(0).default(10_000),
  /** While the registry has not answered the member list: first retry delay bound, then doubling. */
  membershipRetryInitialMs: z.coerce.number().int().positive().default(500),
  /** Largest retry delay bound while waiting for the member list (the delay is jittered below it). */
  membershipRetryMaxMs: z.coerce.number().int().positive().default(30_000),
  /** On SIGTERM, how long requests in flight may run before the process exits anyway. */
  shutdownGraceMs: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Consecutive failed calls after which a shard is skipped (circuit open); 0 disables. */
  breakerFailures: z.coerce.number().int().min(0).default(5),
  /** How long an open circuit skips a shard before one probe call is let through. */
  breakerCoolDownMs: z.coerce.number().int().min(0).default(10_000),
  // Optional, so that callers building a config by hand may leave them out; the defaults are
  // DEFAULT_TRAFFIC (fanout/traffic.ts) and DEFAULT_PROBE_MS (membership/probe.ts).
  /** Calls in flight per member endpoint, when its directory entry sets no limit (default 64). */
  memberMaxInFlight: z.coerce.number().int().positive().optional(),
  /** Calls waiting per member endpoint beyond those in flight, when its entry sets none (default 256). */
  memberMaxQueued: z.coerce.number().int().min(0).optional(),
  /** Further attempts of a write with an idempotency key after a timeout or transport failure (default 2). */
  writeRetries: z.coerce.number().int().min(0).max(5).optional(),
  /** Interval of the background probe of the registry and of open circuits; 0 disables it (default 5000). */
  healthProbeMs: z.coerce.number().int().min(0).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  development: z.coerce.boolean().default(true),
  /** Keys that sign bearer tokens: a JWKS file or URL. */
  tokenKeys: KeySourceSchema,
  tokenIssuer: z.string().min(1),
  tokenAudience: z.string().min(1),
  /** The gateway's data folder for its own key pair (created on first start, never shared); it signs every call. */
  keyDir: z.string().min(1),
  maxBodyBytes: z.coerce.number().int().positive().default(100_000),
  rateLimitPerMinute: z.coerce.number().int().positive().default(600),
  /** When set, replicas share rate-limit counters in this Redis. */
  redisUrl: z.string().optional(),
  redisPrefix: z.string().default('crossgate:'),
  persistedOperations: z.enum(['off', 'public', 'everyone']).default('off'),
  persistedManifest: z.string().optional(),
  maxDepth: z.coerce.number().int().positive().default(12),
  maxAliases: z.coerce.number().int().positive().default(15),
  maxTokens: z.coerce.number().int().positive().default(2000),
  maxCost: z.coerce.number().int().positive().default(20_000),
  /** Workforce-flow counts below this are suppressed (after summing every municipality). */
  flowSuppressionThreshold: z.coerce.number().int().min(1).default(5),
});

export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof GatewayConfigSchema>;

function keySourceFromEnv(env: NodeJS.ProcessEnv) {
  if (env.JWKS_URL) return { kind: 'url', url: env.JWKS_URL };
  if (env.JWKS_FILE) return { kind: 'file', path: env.JWKS_FILE };
  return undefined;
}

export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = GatewayConfigSchema.safeParse({
    port: env.GATEWAY_PORT,
    host: env.GATEWAY_HOST,
    registryUrl: env.REGISTRY_URL,
    shardTimeoutMs: env.SHARD_TIMEOUT_MS,
    membershipRefreshMs: env.MEMBERSHIP_REFRESH_MS,
    membershipRetryInitialMs: env.MEMBERSHIP_RETRY_INITIAL_MS,
    membershipRetryMaxMs: env.MEMBERSHIP_RETRY_MAX_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    breakerFailures: env.BREAKER_FAILURES,
    breakerCoolDownMs: env.BREAKER_COOL_DOWN_MS,
    memberMaxInFlight: env.MEMBER_MAX_IN_FLIGHT,
    memberMaxQueued: env.MEMBER_MAX_QUEUED,
    writeRetries: env.WRITE_RETRIES,
    healthProbeMs: env.HEALTH_PROBE_MS,
    logLevel: env.LOG_LEVEL,
    flowSuppressionThreshold: env.FLOW_SUPPRESSION_THRESHOLD,
    development: env.NODE_ENV === undefined ? undefined : env.NODE_ENV !== 'production',
    tokenKeys: keySourceFromEnv(env),
    tokenIssuer: env.JWT_ISSUER,
    tokenAudience: env.JWT_AUDIENCE,
    keyDir: env.KEY_DIR,
    maxBodyBytes: env.MAX_BODY_BYTES,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    persistedOperations: env.PERSISTED_OPERATIONS,
    persistedManifest: env.PERSISTED_MANIFEST,
    maxDepth: env.MAX_DEPTH,
    maxAliases: env.MAX_ALIASES,
    maxTokens: env.MAX_TOKENS,
    maxCost: env.MAX_COST,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid gateway configuration:\n${problems}`);
  }
  if (parsed.data.persistedOperations !== 'off' && !parsed.data.persistedManifest) {
    throw new Error(
      'Invalid gateway configuration:\n  - persistedManifest: required when PERSISTED_OPERATIONS is on',
    );
  }
  return parsed.data;
}
