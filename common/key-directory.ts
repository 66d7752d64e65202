// The registry's signed directory of members' public keys, and each member's cached, checked copy of it.
import type { KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, type JWK } from 'jose';
import { z } from 'zod';
import { type MemberKey, publicKeyOf } from './member-keys';

export const MEMBER_ROLES = ['gateway', 'registry', 'municipality'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

const DirectoryKeySchema = z.object({
  member: z.string().min(1),
  role: z.enum(MEMBER_ROLES),
  jwk: z.record(z.string(), z.unknown()),
  /** ISO times bounding when the key may sign. */
  notBefore: z.string(),
  notAfter: z.string().nullable(),
});

const DirectorySchema = z.object({
  issuedAt: z.string(),
  keys: z.array(DirectoryKeySchema),
  /** The addresses each member is called at (its endpoints): a call signed for one is refused by the others. */
  addresses: z.array(z.object({ member: z.string(), url: z.string() })),
});

export type DirectoryKey = z.infer<typeof DirectoryKeySchema>;
export type DirectoryDocument = z.infer<typeof DirectorySchema>;

/** Who holds a key: the members it speaks for (a shard of several municipalities holds one key for all). */
export interface SignerKey {
  kid: string;
  role: MemberRole;
  members: readonly string[];
  publicKey: KeyObject;
  notBefore: number;
  notAfter: number | null;
}

/** What a receiver asks of the directory. */
export interface KeyLookup {
  /** The key named `kid`, if the directory lists it as valid at `at` (ms). */
  signerKey(kid: string, at: number): Promise<SignerKey | null>;
  /** The `host:port` authorities a member is called at. */
  authoritiesOf(members: readonly string[]): Promise<readonly string[]>;
  /** Where a member receives events from other members (its published `…/events` address), if listed. */
  eventEndpointOf(member: string): Promise<string | null>;
}

/** The path of a member's event endpoint, as the registry publishes it among the member's addresses. */
export const EVENTS_PATH = '/events';

const DIRECTORY_TYPE = 'crossgate-directory+jws';

/** The directory as a compact JWS signed by the registry's key. */
export function signDirectory(key: MemberKey, doc: DirectoryDocument): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(doc)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: DIRECTORY_TYPE })
    .sign(key.privateKey);
}

/** Checks a directory JWS against the registry's keys (`trusted` by kid); throws when it is not theirs. */
export async function openDirectory(
  jws: string,
  trusted: (kid: string) => KeyObject | null,
): Promise<DirectoryDocument> {
  const { payload } = await compactVerify(jws, async (header) => {
    if (header.alg !== 'EdDSA' || header.typ !== DIRECTORY_TYPE || !header.kid) {
      throw new Error('the directory is not signed as a Crossgate directory');
    }
    const key = trusted(header.kid);
    if (!key) throw new Error(`the directory is signed by ${header.kid}, which is not a registry key`);
    return key;
  });
  return DirectorySchema.parse(JSON.parse(new TextDecoder().decode(payload)));
}

type CacheState =
  | { phase: 'empty' }
  | {
      phase: 'ready';
      byKid: Map<string, SignerKey>;
      authorities: Map<string, string[]>;
      events: Map<string, string>;
      loadedAt: number;
    };

export interface KeyDirectoryOptions {
  /** Reads the directory: from the registry over the network (checked), or the registry's own database. */
  load: () => Promise<DirectoryDocument>;
  /** How long a copy is used before it is read again: a withdrawn key is refused within this time. */
  ttlMs: number;
  now?: () => number;
  /** An unknown key id reads the directory again, at most this often (a key just published). */
  minRefreshMs?: number;
  /**
   * While the registry cannot be read, the last signed copy serves until it is this old (at least
   * one TTL more than `ttlMs`): a registry outage then stops no call between members for that long.
   */
  staleMs?: number;
}

/** How long the last copy serves while the registry cannot be read, unless configured. */
export const DEFAULT_DIRECTORY_STALE_MS = 600_000;

function indexOf(doc: DirectoryDocument): Omit<CacheState & { phase: 'ready' }, 'phase' | 'loadedAt'> {
  const byKid = new Map<string, SignerKey>();
  for (const entry of doc.keys) {
    const jwk = entry.jwk as JWK;
    const kid = jwk.kid;
    const publicKey = publicKeyOf(jwk);
    if (!kid || !publicKey) continue;
    const known = byKid.get(kid);
    if (known && known.role !== entry.role) continue;
    byKid.set(kid, {
      kid,
      role: entry.role,
      members: [...(known?.members ?? []), entry.member],
      publicKey,
      notBefore: Date.parse(entry.notBefore),
      notAfter: entry.notAfter ? Date.parse(entry.notAfter) : null,
    });
  }
  const authorities = new Map<string, string[]>();
  const events = new Map<string, string>();
  for (const a of doc.addresses) {
    try {
      const url = new URL(a.url);
      const host = url.host;
      authorities.set(a.member, [...(authorities.get(a.member) ?? []), host]);
      if (url.pathname === EVENTS_PATH) events.set(a.member, url.toString());
    } catch {
      // An address that is not a URL names no authority.
    }
  }
  return { byKid, authorities, events };
}

/** A member's copy of the directory, read again after `ttlMs`; concurrent readers share one load. */
export class KeyDirectory implements KeyLookup {
  private state: CacheState = { phase: 'empty' };
  private loading?: Promise<CacheState & { phase: 'ready' }>;
  /** The last failed read, and how many reads have failed in a row (each doubles the wait). */
  private failure?: { at: number; error: unknown; streak: number; waitMs: number };
  private readonly now: () => number;

  constructor(private readonly options: KeyDirectoryOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Forgets the copy so that the next lookup reads the directory. */
  invalidate(): void {
    this.state = { phase: 'empty' };
  }

  /**
   * The copy, read again when older than the TTL. While the registry cannot be read, the last copy
   * serves until it is `staleMs` old (then every call is refused), and reads are retried after a
   * wait that grows with each failure in a row (from one second to sixteen, jittered).
   */
  private async fresh(force = false): Promise<CacheState & { phase: 'ready' }> {
    const s = this.state;
    const t = this.now();
    if (!force && s.phase === 'ready' && t - s.loadedAt < this.options.ttlMs) return s;
    const staleMs = Math.max(this.options.staleMs ?? DEFAULT_DIRECTORY_STALE_MS, 2 * this.options.ttlMs);
    const usable = s.phase === 'ready' && t - s.loadedAt < staleMs ? s : undefined;
    if (this.failure && t - this.failure.at < this.failure.waitMs) {
      if (usable) return usable;
      throw this.failure.error;
    }
    if (!this.loading) {
      this.loading = this.options
        .load()
        .then((doc) => {
          const ready = { phase: 'ready' as const, ...indexOf(doc), loadedAt: this.now() };
          this.state = ready;
          this.failure = undefined;
          return ready;
        })
        .catch((error: unknown) => {
          const streak = (this.failure?.streak ?? 0) + 1;
          this.failure = { at: this.now(), error, streak, waitMs: this.retryWaitMs(streak) };
          throw error;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    try {
      return await this.loading;
    } catch (error) {
      if (usable) return usable;
      throw error;
    }
  }

  /**
   * How long after the `streak`-th failed read in a row the next may start: the minimum refresh,
   * doubled per failure up to 16 times it, with jitter down to half. A hundred members whose
   * registry is slow then do not ask it again every second, all at once.
   */
  private retryWaitMs(streak: number): number {
    const base = this.options.minRefreshMs ?? 1000;
    const ceiling = base * Math.min(16, 2 ** (streak - 1));
    return ceiling * (0.5 + Math.random() / 2);
  }

  async signerKey(kid: string, at: number): Promise<SignerKey | null> {
    let s = await this.fresh();
    if (!s.byKid.has(kid) && this.now() - s.loadedAt >= (this.options.minRefreshMs ?? 1000)) {
      s = await this.fresh(true);
    }
    const key = s.byKid.get(kid);
    if (!key) return null;
    if (at < key.notBefore || (key.notAfter !== null && at >= key.notAfter)) return null;
    return key;
  }

  async authoritiesOf(members: readonly string[]): Promise<readonly string[]> {
    const s = await this.fresh();
    return members.flatMap((m) => s.authorities.get(m) ?? []);
  }

  async eventEndpointOf(member: string): Promise<string | null> {
    return (await this.fresh()).events.get(member) ?? null;
  }

  /**
   * The keys the directory lists now for `member` in `role`, whatever their signing window: what
   * checks a document the member signed (a credential, a status list), which stays valid longer than a call.
   */
  async keysOfMember(member: string, role: MemberRole): Promise<SignerKey[]> {
    const s = await this.fresh();
    return [...s.byKid.values()].filter((k) => k.role === role && k.members.includes(member));
  }

  /** Keys listed for a role (the registry's, to check a directory signed with a rotated key). */
  keysOfRole(role: MemberRole): SignerKey[] {
    const s = this.state;
    return s.phase === 'ready' ? [...s.byKid.values()].filter((k) => k.role === role) : [];
  }
}
