// The gateway's front door put together from its configuration: who is calling (a bearer token
// checked against the identity provider's keys), the rate limit (shared in Redis when configured)
// and the manifest of persisted operations.
import Redis from 'ioredis';
import { type Authenticator, createAuthenticator } from '../../../common/caller-tokens';
import type { ReadinessCheck } from '../../../common/lifecycle';
import type { Logger } from '../../../common/logger';
import type { ProcessMetrics } from '../../../common/metrics';
import { keysReadiness, tokenKeys } from '../../../common/token-keys';
import type { GatewayConfig } from '../config';
import { type Manifest, readManifest } from '../limits/persisted';
import { memoryRateLimiter, type RateLimiter, redisRateLimiter } from '../limits/rate-limit';
import { countedRateLimiter } from '../observability/gateway-metrics';
import type { FrontDoor } from './front-door';

export interface FrontDoorDeps {
  /** Establishes the caller of a request; by default a bearer token checked against the configured keys. */
  authenticate?: Authenticator;
  /** Shared Redis for rate limits; by default one is opened when `redisUrl` is configured. */
  redis?: Redis;
  /** Manifest of persisted operations; by default read from `persistedManifest`. */
  manifest?: Manifest;
}

export interface OpenFrontDoor {
  door: FrontDoor;
  /** Whether the keys that verify bearer tokens are loaded (always, for a given authenticator). */
  keysReady: () => ReadinessCheck;
  /** Lets go of the Redis connection the door opened itself, if any. */
  close(): void;
}

/** The configured token check, or the given one. */
function callerAuthentication(
  config: GatewayConfig,
  given: Authenticator | undefined,
  now: () => number,
): { authenticate: Authenticator; keysReady: () => ReadinessCheck } {
  if (given) return { authenticate: given, keysReady: () => ({ ok: true }) };
  const keys = tokenKeys(config.tokenKeys);
  const authenticate = createAuthenticator({
    keys,
    issuer: config.tokenIssuer,
    audience: config.tokenAudience,
    now: () => new Date(now()),
  });
  return { authenticate, keysReady: () => keysReadiness(keys) };
}

/** Counts in Redis when there is one (falling back to this process while it does not answer), else here. */
function configuredRateLimiter(
  config: GatewayConfig,
  redis: Redis | undefined,
  now: () => number,
  log: Logger,
): RateLimiter {
  if (!redis) return memoryRateLimiter(config.rateLimitPerMinute, now);
  const limitLog = log.child({ component: 'rate-limit' });
  return redisRateLimiter(redis, config.rateLimitPerMinute, `${config.redisPrefix}rate:`, now, {
    unavailable: (err) =>
      limitLog.warn({ err }, 'Redis does not answer; counting rate limits in this process'),
    restored: () => limitLog.info('Redis answers again; rate limits are shared again'),
  });
}

/** Opens the front door: the caller check, the rate limiter and the persisted operations in force. */
export function openFrontDoor(
  config: GatewayConfig,
  deps: FrontDoorDeps,
  now: () => number,
  metrics: ProcessMetrics,
  log: Logger,
): OpenFrontDoor {
  const { authenticate, keysReady } = callerAuthentication(config, deps.authenticate, now);
  const ownRedis =
    !deps.redis && config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: false }) : undefined;
  // Connection errors are reported by the limiter once per outage; the client retries on its own.
  ownRedis?.on('error', () => undefined);
  const rateLimiter = countedRateLimiter(
    configuredRateLimiter(config, deps.redis ?? ownRedis, now, log),
    metrics,
  );
  const manifest =
    deps.manifest ??
    (config.persistedManifest ? readManifest(config.persistedManifest) : new Map<string, string>());
  return {
    door: { authenticate, rateLimiter, persisted: { mode: config.persistedOperations, manifest } },
    keysReady,
    close: () => ownRedis?.disconnect(),
  };
}
