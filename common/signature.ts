// Gateway-to-subgraph request signing: HMAC-SHA256 over method, path, body, timestamp, nonce and caller.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type Redis from 'ioredis';

export const SIGNATURE_HEADERS = {
  timestamp: 'x-crossgate-timestamp',
  nonce: 'x-crossgate-nonce',
  signature: 'x-crossgate-signature',
} as const;

/** What a signature covers besides its timestamp and nonce. */
export interface SignedParts {
  method: string;
  /** Request path without the query string, e.g. "/credentials". */
  path: string;
  body: string;
  /** The caller header exactly as sent (empty when none). */
  caller: string;
}

export type VerifyOutcome =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'forged' | 'replayed' };

/** Remembers nonces until they expire; answers true only the first time a nonce is seen. */
export interface NonceCache {
  remember(nonce: string, ttlMs: number): Promise<boolean>;
}

function canonical(parts: SignedParts, timestamp: string, nonce: string): string {
  const bodyHash = createHash('sha256').update(parts.body).digest('base64url');
  return [
    'crossgate-v1',
    parts.method.toUpperCase(),
    parts.path,
    timestamp,
    nonce,
    bodyHash,
    parts.caller,
  ].join('\n');
}

function mac(secret: string, text: string): Buffer {
  return createHmac('sha256', secret).update(text).digest();
}

/** The headers that prove a request comes from the gateway. */
export function signRequest(
  secret: string,
  parts: SignedParts,
  now: number = Date.now(),
): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const nonce = randomBytes(16).toString('base64url');
  return {
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: mac(secret, canonical(parts, timestamp, nonce)).toString('base64url'),
  };
}

export interface VerifierOptions {
  /** Accepted secrets: the current one first, then any still honoured during a rotation. */
  secrets: readonly string[];
  /** How far a timestamp may be from the subgraph's clock, either way. */
  windowMs: number;
  nonces: NonceCache;
  now?: () => number;
}

export type RequestVerifier = (
  parts: SignedParts,
  header: (name: string) => string | undefined,
) => Promise<VerifyOutcome>;

export function createRequestVerifier(options: VerifierOptions): RequestVerifier {
  if (options.secrets.length === 0) throw new Error('A request verifier needs at least one secret');
  const now = options.now ?? Date.now;
  return async (parts, header) => {
    const timestamp = header(SIGNATURE_HEADERS.timestamp);
    const nonce = header(SIGNATURE_HEADERS.nonce);
    const signature = header(SIGNATURE_HEADERS.signature);
    if (!timestamp || !nonce || !signature) return { ok: false, reason: 'missing' };
    if (!/^\d{1,12}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) {
      return { ok: false, reason: 'malformed' };
    }
    if (Math.abs(now() - Number(timestamp) * 1000) > options.windowMs) return { ok: false, reason: 'stale' };
    const given = Buffer.from(signature, 'base64url');
    const text = canonical(parts, timestamp, nonce);
    const valid = options.secrets.some((secret) => {
      const expected = mac(secret, text);
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!valid) return { ok: false, reason: 'forged' };
    // Only an authentic request may spend a nonce; a nonce lives as long as its timestamp is fresh.
    if (!(await options.nonces.remember(nonce, 2 * options.windowMs)))
      return { ok: false, reason: 'replayed' };
    return { ok: true };
  };
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

/** A nonce cache shared by the replicas of one subgraph (SET NX with expiry). */
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
