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

/** Fixed one-minute windows counted in Redis, so every gateway replica shares one allowance. */
export function redisRateLimiter(
  redis: Redis,
  perMinute: number,
  prefix: string,
  now: () => number = Date.now,
): RateLimiter {
  return {
    async hit(key) {
      const t = now();
      const window = Math.floor(t / WINDOW_MS);
      const redisKey = `${prefix}${window}:${key}`;
      const [[, count] = [null, 0]] =
        (await redis.multi().incr(redisKey).pexpire(redisKey, WINDOW_MS).exec()) ?? [];
      return { allowed: Number(count) <= perMinute, retryAfterMs: (window + 1) * WINDOW_MS - t };
    },
  };
}
