// Members' public keys in the registry: admitted, published by a rotation, retired or withdrawn, and the
// signed directory built from them (the registry's own key signs it).
import { and, eq, isNull } from 'drizzle-orm';
import type { JWK } from 'jose';
import { type DirectoryDocument, EVENTS_PATH, type MemberRole } from '../../../common/key-directory';
import { kidMatches, publicKeyOf } from '../../../common/member-keys';
import { memberKey, municipality } from '../db/schema';
import type { RegistryDatabase } from '../store';

/** A member's event endpoint: `/events` on the server that answers at its credentials address. */
function eventsUrlOf(credentialsUrl: string): string {
  try {
    return new URL(EVENTS_PATH, credentialsUrl).toString();
  } catch {
    return '';
  }
}

/** A member's key to admit: which member, in which role, and its public JWK. */
export interface AdmittedKey {
  member: string;
  role: MemberRole;
  jwk: JWK;
}

/** Why a key cannot be published; null when it can. */
export function keyProblem(key: AdmittedKey): string | null {
  if (!publicKeyOf(key.jwk)) return 'the key is not an Ed25519 public key (kty OKP, crv Ed25519, x, no d)';
  if (!kidMatches(key.jwk))
    return 'the key id must end with "." and the key\'s RFC 7638 thumbprint (16 characters)';
  return null;
}

export function createMemberKeyStore(db: RegistryDatabase, now: () => Date) {
  return {
    /** Publishes keys valid from now; a key already listed for that member is left as it is (idempotent). */
    async admit(keys: readonly AdmittedKey[]): Promise<void> {
      for (const key of keys) {
        const problem = keyProblem(key);
        if (problem) throw new Error(`Key of ${key.member} refused: ${problem}`);
      }
      if (keys.length === 0) return;
      await db
        .insert(memberKey)
        .values(
          keys.map((k) => ({
            kid: k.jwk.kid as string,
            member: k.member,
            role: k.role,
            jwk: k.jwk as Record<string, unknown>,
            notBefore: now(),
          })),
        )
        .onConflictDoNothing();
    },
    /** Ends a key's validity from `at` (the end of a rotation; calls it signed still verify until then). */
    async retire(member: string, kid: string, at: Date = now()): Promise<void> {
      await db
        .update(memberKey)
        .set({ notAfter: at })
        .where(and(eq(memberKey.member, member), eq(memberKey.kid, kid), isNull(memberKey.notAfter)));
    },
    /** Withdraws a key at once (compromised): it leaves the directory, and every member refuses it within one TTL. */
    async withdraw(kid: string): Promise<void> {
      await db
        .update(memberKey)
        .set({ withdrawnAt: now() })
        .where(and(eq(memberKey.kid, kid), isNull(memberKey.withdrawnAt)));
    },
    /**
     * The directory as it stands: keys neither withdrawn nor expired, and members' addresses. A suspended
     * member's keys are left out, so within one TTL no member accepts its calls (and the gateway, reading
     * its status, no longer calls it); its addresses stay, so that it keeps answering where it is called.
     */
    async directory(registryUrls: readonly string[]): Promise<DirectoryDocument> {
      const at = now();
      const keys = await db.select().from(memberKey).where(isNull(memberKey.withdrawnAt));
      const members = await db.select().from(municipality);
      const suspended = new Set(members.filter((m) => m.status !== 'ACTIVE').map((m) => m.code));
      return {
        issuedAt: at.toISOString(),
        keys: keys
          .filter((k) => (k.notAfter === null || k.notAfter > at) && !suspended.has(k.member))
          .map((k) => ({
            member: k.member,
            role: k.role as MemberRole,
            jwk: k.jwk,
            notBefore: k.notBefore.toISOString(),
            notAfter: k.notAfter ? k.notAfter.toISOString() : null,
          })),
        addresses: [
          ...registryUrls.map((url) => ({ member: 'registry', url })),
          ...members.flatMap((m) =>
            [m.credentialsUrl, m.workforceUrl, eventsUrlOf(m.credentialsUrl)]
              .filter((u) => u !== '')
              .map((url) => ({ member: m.code, url })),
          ),
        ],
      };
    },
  };
}

export type MemberKeyStore = ReturnType<typeof createMemberKeyStore>;
