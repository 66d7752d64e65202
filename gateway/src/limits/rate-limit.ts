// Per-caller request allowance per minute: shared through Redis when configured, in memory otherwise.
import type Redis from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  /** Milliseconds until the current window ends. */
  retryAfterMs: number;
}

export interface RateLimiter {
  hit(key: string): Promise<RateDecision>;
}

const WINDOW_MS = 60_000;

/** Fixed one-minute windows counted in this process. */
export function memoryRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const counts = new Map<string, { window: number; count: number }>();
  return {
    async hit(key) {
      const t = now();
      const window = Math.floor(t / WINDOW_MS);
      const slot = counts.get(key);
      if (!slot || slot.window !== window) {
        if (counts.size > 100_000) counts.clear();
        counts.set(key, { window, count: 1 });
      } else {
        slot.count++;
      }
      const count = counts.get(key)?.count ?? 1;
      return { allowed: count <= perMinute, retryAfterMs: (window + 1) * WINDOW_MS - t };
    },
  };
}

/** What the Redis limiter says when Redis stops or starts answering again. */
export interface RedisLimiterEvents {
  unavailable?(error: unknown): void;
  restored?(): void;
}

/**
 * Fixed one-minute windows counted in Redis, so every gateway replica shares one allowance. While
 * Redis does not answer, each replica counts in memory instead: a restarted Redis costs the shared
 * allowance for a while, never a request.
 */
export function redisRateLimiter(
  redis: Redis,
  perMinute: number,
  prefix: string,
  now: () => number = Date.now,
  events: RedisLimiterEvents = {},
): RateLimiter {
  const local = memoryRateLimiter(perMinute, now);
  let down = false;
  const fallBack = (key: string, error: unknown) => {
    if (!down) events.unavailable?.(error);
    down = true;
    return local.hit(key);
  };
  return {
    async hit(key) {
      // A client that is not connected would hold the request in its offline queue until Redis returns.
      if (redis.status !== 'ready') return fallBack(key, new Error(`Redis connection is ${redis.status}`));
      const t = now();
      const window = Math.floor(t / WINDOW_MS);
      const redisKey = `${prefix}${window}:${key}`;
      let replies: [Error | null, unknown][] | null;
      try {
        replies = await redis.multi().incr(redisKey).pexpire(redisKey, WINDOW_MS).exec();
      } catch (error) {
        return fallBack(key, error);
      }
      const [[failure, count] = [null, 0]] = replies ?? [];
      if (failure) return fallBack(key, failure);
      if (down) events.restored?.();
      down = false;
      return { allowed: Number(count) <= perMinute, retryAfterMs: (window + 1) * WINDOW_MS - t };
    },
  };
}
