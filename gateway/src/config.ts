// The gateway's configuration: environment parsed once with a schema; every problem reported at once.
import { z } from 'zod';
import {
  ConfigurationError,
  configInput,
  configVariables,
  IDENTITY_PROVIDER_VARIABLES,
  identityProviderFields,
  jwksVariable,
  LOG_LEVELS,
  parseConfig,
  variableNamesOf,
} from '../../common/config';

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
  logLevel: z.enum(LOG_LEVELS).default('info'),
  development: z.coerce.boolean().default(true),
  ...identityProviderFields,
  /** The gateway's data folder for its own key pair (created on first start, never shared); it signs every call. */
  keyDir: z.string().min(1),
  /** The registry's public key(s), a JSON JWKS: the anchor of the directory the municipalities' answer signatures are checked against. */
  registryKeys: jwksVariable(
    "REGISTRY_KEYS (the registry's public JWKS) is required to check the municipalities' signed answers",
  ),
  /** How long the registry's key directory is used before it is read again: a withdrawn key is refused within it. */
  directoryTtlMs: z.coerce.number().int().positive().default(30_000),
  directoryStaleMs: z.coerce.number().int().positive().default(600_000),
  /** How far the creation time of a municipality's answer signature may be from the gateway's clock. */
  signatureWindowMs: z.coerce.number().int().positive().default(60_000),
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
  /** Deepest nesting of an introspection query (default 15: graphql-js' own query, what IDEs send). */
  maxIntrospectionDepth: z.coerce
    .number()
    .int()
    .min(15, 'must be at least 15, the depth of the standard introspection query')
    .max(100)
    .optional(),
  /** A supergraph file served instead of the built-in contract, and watched: a new one is reloaded. */
  supergraphFile: z.string().min(1).optional(),
  /** A URL to GET the supergraph from (the registry's, for one), polled: a new one is reloaded. */
  supergraphUrl: z.url().optional(),
  /** How often the supergraph file is looked at and the URL asked; 0 turns reloading off (default 2000). */
  supergraphPollMs: z.coerce.number().int().min(0).max(3_600_000).optional(),
  /** How long registry answers about reference data are kept at most; 0 keeps none (default 60000). */
  referenceCacheTtlMs: z.coerce.number().int().min(0).optional(),
  /** Workforce-flow counts below this are suppressed (after summing every municipality). */
  flowSuppressionThreshold: z.coerce.number().int().min(1).default(5),
});

export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof GatewayConfigSchema>;

/** The variable behind each key; `tokenKeys` is JWKS_FILE or JWKS_URL, `development` NODE_ENV. */
export const GATEWAY_VARIABLES = {
  port: 'GATEWAY_PORT',
  host: 'GATEWAY_HOST',
  registryUrl: 'REGISTRY_URL',
  shardTimeoutMs: 'SHARD_TIMEOUT_MS',
  membershipRefreshMs: 'MEMBERSHIP_REFRESH_MS',
  membershipRetryInitialMs: 'MEMBERSHIP_RETRY_INITIAL_MS',
  membershipRetryMaxMs: 'MEMBERSHIP_RETRY_MAX_MS',
  shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
  breakerFailures: 'BREAKER_FAILURES',
  breakerCoolDownMs: 'BREAKER_COOL_DOWN_MS',
  memberMaxInFlight: 'MEMBER_MAX_IN_FLIGHT',
  memberMaxQueued: 'MEMBER_MAX_QUEUED',
  writeRetries: 'WRITE_RETRIES',
  healthProbeMs: 'HEALTH_PROBE_MS',
  logLevel: 'LOG_LEVEL',
  flowSuppressionThreshold: 'FLOW_SUPPRESSION_THRESHOLD',
  referenceCacheTtlMs: 'REFERENCE_CACHE_TTL_MS',
  development: 'NODE_ENV',
  ...IDENTITY_PROVIDER_VARIABLES,
  keyDir: 'KEY_DIR',
  registryKeys: 'REGISTRY_KEYS',
  directoryTtlMs: 'DIRECTORY_TTL_MS',
  directoryStaleMs: 'DIRECTORY_STALE_MS',
  signatureWindowMs: 'SIGNATURE_WINDOW_MS',
  maxBodyBytes: 'MAX_BODY_BYTES',
  rateLimitPerMinute: 'RATE_LIMIT_PER_MINUTE',
  redisUrl: 'REDIS_URL',
  redisPrefix: 'REDIS_PREFIX',
  persistedOperations: 'PERSISTED_OPERATIONS',
  persistedManifest: 'PERSISTED_MANIFEST',
  maxDepth: 'MAX_DEPTH',
  maxAliases: 'MAX_ALIASES',
  maxTokens: 'MAX_TOKENS',
  maxCost: 'MAX_COST',
  maxIntrospectionDepth: 'MAX_INTROSPECTION_DEPTH',
  supergraphFile: 'SUPERGRAPH_FILE',
  supergraphUrl: 'SUPERGRAPH_URL',
  supergraphPollMs: 'SUPERGRAPH_POLL_MS',
} as const satisfies Record<keyof GatewayConfig, string>;

/** Every variable a gateway reads, for its configuration file too. */
export const GATEWAY_VARIABLE_NAMES = variableNamesOf(GATEWAY_VARIABLES, 'GATEWAY_WORKERS');

/** The gateway's configuration from the environment (and CROSSGATE_CONFIG's file); throws naming each problem. */
export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const vars = configVariables('gateway', env, GATEWAY_VARIABLE_NAMES);
  const input = configInput(GATEWAY_VARIABLES, vars);
  input.development = vars.NODE_ENV === undefined ? undefined : vars.NODE_ENV !== 'production';
  const config = parseConfig('gateway', GatewayConfigSchema, input, GATEWAY_VARIABLES);
  if (config.persistedOperations !== 'off' && !config.persistedManifest) {
    throw new ConfigurationError('gateway', [
      'PERSISTED_MANIFEST: required when PERSISTED_OPERATIONS is not off',
    ]);
  }
  return config;
}

/** GATEWAY_WORKERS: how many processes share the gateway's port (read before any of them starts). */
export function gatewayWorkersFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const vars = configVariables('gateway', env, GATEWAY_VARIABLE_NAMES);
  return parseConfig(
    'gateway',
    z.object({ workers: z.coerce.number().int().min(1).max(64).default(1) }),
    { workers: vars.GATEWAY_WORKERS },
    { workers: 'GATEWAY_WORKERS' },
  ).workers;
}
