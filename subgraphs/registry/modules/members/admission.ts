// The governance body admits, suspends and readmits members and publishes or withdraws their keys:
// validated, idempotent, kept in the registry's history, and seen by the signed directory at once.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { JWK } from 'jose';
import { kidMatches, publicKeyOf } from '../../../../common/member-keys';
import type { Caller } from '../../../../schema/caller';
import { crossgateError } from '../../../../schema/errors';
import { municipalityCodeArgument } from '../../../../schema/ids';
import { memberKey, municipality } from '../../db/schema';
import type { MunicipalityRow, RegistryDatabase } from '../../store';
import { createWriteOnce, type RegistryTx } from '../write-once';

/** A public key as an administrator sends it: the members of an Ed25519 JWK. */
export interface PublicJwkInput {
  kid: string;
  kty: string;
  crv: string;
  x: string;
  alg?: string | null;
  use?: string | null;
}

export interface AdmitMemberInput {
  code: string;
  name: string;
  country: string;
  credentialsUrl: string;
  workforceUrl: string;
  keys: PublicJwkInput[];
}

/** A member's key as the registry answers it (instants as ISO text, so that a replay answers the same). */
export interface MemberKeyView {
  member: string;
  kid: string;
  x: string;
  notBefore: string;
  notAfter: string | null;
  withdrawnAt: string | null;
}

const bad = (argumentName: string, message: string) =>
  crossgateError('BAD_USER_INPUT', message, { argumentName });

function requireAdmin(caller: Caller, what: string) {
  if (caller.role !== 'registry_admin')
    throw crossgateError(
      'FORBIDDEN',
      `Only a registry administrator may ${what}; the caller is ${caller.role}`,
    );
}

const quoted = (value: unknown) => JSON.stringify(value)?.slice(0, 60);

/** The key as the directory publishes it, after the checks every admitted key passes. */
export function checkedJwk(input: PublicJwkInput, member: string, argumentName: string): JWK {
  const jwk: JWK = { kty: input.kty, crv: input.crv, x: input.x, kid: input.kid, alg: 'EdDSA', use: 'sig' };
  if (input.kty !== 'OKP' || input.crv !== 'Ed25519')
    throw crossgateError(
      'UNSUPPORTED_KEY_TYPE',
      `${argumentName} must be an Ed25519 key (kty "OKP", crv "Ed25519"); received kty ${quoted(input.kty)}, crv ${quoted(input.crv)}`,
      { argumentName },
    );
  if ((input.alg ?? 'EdDSA') !== 'EdDSA' || (input.use ?? 'sig') !== 'sig')
    throw crossgateError(
      'UNSUPPORTED_KEY_TYPE',
      `${argumentName} signs with EdDSA (use "sig"); received alg ${quoted(input.alg)}, use ${quoted(input.use)}`,
      { argumentName },
    );
  if (!/^[A-Za-z0-9_-]{43}$/.test(input.x) || !publicKeyOf(jwk))
    throw crossgateError(
      'UNSUPPORTED_KEY_TYPE',
      `${argumentName}.x must be the 32-byte public key in base64url (43 characters); received ${quoted(input.x)}`,
      { argumentName },
    );
  if (!kidMatches(jwk))
    throw crossgateError(
      'KEY_ID_MISMATCH',
      `${argumentName}.kid ${quoted(input.kid)} does not name this key: it must end with "." and the first 16 characters of its RFC 7638 thumbprint`,
      { argumentName },
    );
  // The name says whose key it is: "<member>." (or a shard's "<A>+<B>." that includes the member).
  const owners = input.kid.slice(0, input.kid.lastIndexOf('.')).split('+');
  if (!owners.includes(member))
    throw crossgateError(
      'KEY_ID_MISMATCH',
      `${argumentName}.kid ${quoted(input.kid)} names the key of ${quoted(owners.join('+'))}, not of ${member}`,
      { argumentName },
    );
  return jwk;
}

function httpUrl(value: string, argumentName: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad(argumentName, `${argumentName} must be an http(s) URL; received ${quoted(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw bad(argumentName, `${argumentName} must be an http(s) URL; received ${quoted(value)}`);
  return url.toString();
}

/** A key another member already holds is never listed for a second one (it would speak for both). */
async function refuseKeysOfOthers(tx: RegistryTx, member: string, kids: readonly string[]) {
  const held = await tx
    .select()
    .from(memberKey)
    .where(inArray(memberKey.kid, [...kids]));
  const other = held.find((k) => k.member !== member);
  if (other)
    throw crossgateError('KEY_ID_MISMATCH', `The key ${quoted(other.kid)} is already ${other.member}'s`, {
      argumentName: 'keys',
    });
}

const keyView = (k: typeof memberKey.$inferSelect): MemberKeyView => ({
  member: k.member,
  kid: k.kid,
  x: String(k.jwk.x ?? ''),
  notBefore: k.notBefore.toISOString(),
  notAfter: k.notAfter ? k.notAfter.toISOString() : null,
  withdrawnAt: k.withdrawnAt ? k.withdrawnAt.toISOString() : null,
});

export function createMemberAdmission(
  db: RegistryDatabase,
  now: () => Date,
  options: {
    /** Told after every committed change, so that the registry's own copy of the directory is read again. */
    onChange: () => void;
    /** A key retired by a rotation stays valid this long, for calls signed just before the switch. */
    retireGraceMs: number;
  },
) {
  const once = createWriteOnce(db, now);
  const changed = async <T>(write: Promise<T>): Promise<T> => {
    const result = await write;
    options.onChange();
    return result;
  };
  const loadMember = async (tx: RegistryTx, code: string): Promise<MunicipalityRow> => {
    const [row] = await tx.select().from(municipality).where(eq(municipality.code, code));
    if (!row)
      throw crossgateError('UNKNOWN_MUNICIPALITY', `${quoted(code)} is not a member of the region`, {
        argumentName: 'code',
      });
    return row;
  };
  const setStatus = (
    caller: Caller,
    code: string,
    to: 'ACTIVE' | 'SUSPENDED',
    key: string,
    reason: string,
  ): Promise<MunicipalityRow> => {
    const verb = to === 'SUSPENDED' ? 'suspend' : 'readmit';
    requireAdmin(caller, `${verb} a member`);
    const member = municipalityCodeArgument(code, 'code');
    if (!reason.trim()) throw bad('reason', `A reason is required to ${verb} a member`);
    const operation = to === 'SUSPENDED' ? 'suspendMember' : 'readmitMember';
    return changed(
      once(caller, key, operation, { code: member }, reason, async (tx) => {
        const row = await loadMember(tx, member);
        if (row.status === to)
          throw crossgateError(
            'INVALID_TRANSITION',
            `${member} is already ${to === 'SUSPENDED' ? 'suspended' : 'an active member'}`,
          );
        const [updated] = await tx
          .update(municipality)
          .set({ status: to })
          .where(eq(municipality.code, member))
          .returning();
        return { target: member, result: updated as MunicipalityRow };
      }),
    );
  };

  return {
    admit(caller: Caller, input: AdmitMemberInput, key: string, reason?: string | null) {
      requireAdmin(caller, 'admit a member');
      const code = municipalityCodeArgument(input.code, 'input.code');
      const name = input.name.trim();
      if (name.length < 2 || name.length > 100)
        throw bad('input.name', `name must be 2 to 100 characters; received ${quoted(input.name)}`);
      if (!/^[A-Z]{2}$/.test(input.country))
        throw bad(
          'input.country',
          `country must be an ISO 3166-1 alpha-2 code such as "AT"; received ${quoted(input.country)}`,
        );
      const credentialsUrl = httpUrl(input.credentialsUrl, 'input.credentialsUrl');
      const workforceUrl = httpUrl(input.workforceUrl, 'input.workforceUrl');
      if (input.keys.length < 1 || input.keys.length > 4)
        throw bad(
          'input.keys',
          `A member is admitted with 1 to 4 public keys; received ${input.keys.length}`,
        );
      const jwks = input.keys.map((k, i) => checkedJwk(k, code, `input.keys.${i}`));
      return changed(
        once(caller, key, 'admitMember', { input }, reason, async (tx) => {
          const [existing] = await tx.select().from(municipality).where(eq(municipality.code, code));
          if (existing)
            throw crossgateError(
              'MEMBER_ALREADY_ADMITTED',
              `${code} is already a member (${existing.status}); suspend, readmit or rotate its keys instead`,
              { argumentName: 'input.code' },
            );
          await refuseKeysOfOthers(
            tx,
            code,
            jwks.map((j) => j.kid as string),
          );
          const [row] = await tx
            .insert(municipality)
            .values({ code, name, country: input.country, status: 'ACTIVE', credentialsUrl, workforceUrl })
            .returning();
          await tx
            .insert(memberKey)
            .values(
              jwks.map((jwk) => ({
                kid: jwk.kid as string,
                member: code,
                role: 'municipality',
                jwk: jwk as Record<string, unknown>,
                notBefore: now(),
              })),
            )
            .onConflictDoNothing();
          return { target: code, result: row as MunicipalityRow };
        }),
      );
    },

    suspend: (caller: Caller, code: string, key: string, reason: string) =>
      setStatus(caller, code, 'SUSPENDED', key, reason),

    readmit: (caller: Caller, code: string, key: string, reason: string) =>
      setStatus(caller, code, 'ACTIVE', key, reason),

    /** Publishes the member's next key; with `retire`, ends that older key one grace period from now. */
    rotateKey(
      caller: Caller,
      code: string,
      next: PublicJwkInput,
      retire: string | null | undefined,
      key: string,
      reason?: string | null,
    ): Promise<MemberKeyView> {
      requireAdmin(caller, "rotate a member's keys");
      const member = municipalityCodeArgument(code, 'code');
      const jwk = checkedJwk(next, member, 'next');
      if (retire === jwk.kid) throw bad('retire', 'The key published cannot be the key retired');
      return changed(
        once(
          caller,
          key,
          'rotateMemberKey',
          { code: member, next, retire: retire ?? null },
          reason,
          async (tx) => {
            await loadMember(tx, member);
            await refuseKeysOfOthers(tx, member, [jwk.kid as string]);
            if (retire) {
              const retired = await tx
                .update(memberKey)
                .set({ notAfter: new Date(now().getTime() + options.retireGraceMs) })
                .where(
                  and(
                    eq(memberKey.member, member),
                    eq(memberKey.kid, retire),
                    isNull(memberKey.notAfter),
                    isNull(memberKey.withdrawnAt),
                  ),
                )
                .returning();
              if (retired.length === 0)
                throw crossgateError('NOT_FOUND', `${member} has no key ${quoted(retire)} in use to retire`, {
                  argumentName: 'retire',
                });
            }
            const [published] = await tx
              .insert(memberKey)
              .values({
                kid: jwk.kid as string,
                member,
                role: 'municipality',
                jwk: jwk as Record<string, unknown>,
                notBefore: now(),
              })
              .onConflictDoNothing()
              .returning();
            if (!published)
              throw crossgateError('INVALID_TRANSITION', `${member} already has the key ${quoted(jwk.kid)}`, {
                argumentName: 'next',
              });
            return { target: member, result: keyView(published) };
          },
        ),
      );
    },

    /** Withdraws a key at once (compromised): it leaves the directory, and every member refuses it within one TTL. */
    withdrawKey(
      caller: Caller,
      code: string,
      kid: string,
      key: string,
      reason: string,
    ): Promise<MemberKeyView> {
      requireAdmin(caller, "withdraw a member's key");
      const member = municipalityCodeArgument(code, 'code');
      if (!reason.trim()) throw bad('reason', 'A reason is required to withdraw a key');
      return changed(
        once(caller, key, 'withdrawMemberKey', { code: member, kid }, reason, async (tx) => {
          await loadMember(tx, member);
          const [found] = await tx
            .select()
            .from(memberKey)
            .where(and(eq(memberKey.member, member), eq(memberKey.kid, kid)));
          if (!found)
            throw crossgateError('NOT_FOUND', `${member} has no key ${quoted(kid)}`, { argumentName: 'kid' });
          if (found.withdrawnAt)
            throw crossgateError(
              'INVALID_TRANSITION',
              `${quoted(kid)} was already withdrawn at ${found.withdrawnAt.toISOString()}`,
            );
          const [withdrawn] = await tx
            .update(memberKey)
            .set({ withdrawnAt: now() })
            .where(and(eq(memberKey.member, member), eq(memberKey.kid, kid)))
            .returning();
          return { target: member, result: keyView(withdrawn as typeof memberKey.$inferSelect) };
        }),
      );
    },

    /** Every key the member has had, newest first: in use, retired and withdrawn. */
    async keysOf(codes: readonly string[]): Promise<MemberKeyView[][]> {
      if (codes.length === 0) return [];
      const rows = await db
        .select()
        .from(memberKey)
        .where(inArray(memberKey.member, [...codes]));
      return codes.map((code) =>
        rows
          .filter((k) => k.member === code)
          .sort((a, b) => b.notBefore.getTime() - a.notBefore.getTime())
          .map(keyView),
      );
    },
  };
}

export type MemberAdmission = ReturnType<typeof createMemberAdmission>;
