// Remembers the nonces of signed calls so that each is accepted once: in memory, or in Redis shared by replicas.
import type Redis from 'ioredis';

/** Remembers nonces until they expire; answers true only the first time a nonce is seen. */
export interface NonceCache {
  remember(nonce: string, ttlMs: number): Promise<boolean>;
}

/** In-process nonce cache; entries expire in insertion order because every TTL is the same. */
export class MemoryNonceCache implements NonceCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async remember(nonce: string, ttlMs: number): Promise<boolean> {
    const t = this.now();
    for (const [key, expires] of this.seen) {
      if (expires > t) break;
      this.seen.delete(key);
    }
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, t + ttlMs);
    return true;
  }
}

/** A nonce cache shared by the replicas of one member (SET NX with expiry). */
export class RedisNonceCache implements NonceCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async remember(nonce: string, ttlMs: number): Promise<boolean> {
    const answer = await this.redis.set(`${this.prefix}${nonce}`, '1', 'PX', ttlMs, 'NX');
    return answer === 'OK';
  }
}
