// Employer verification: a presented credential id and printed code, answered without enumeration.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { statusOn } from '../../../schema/credential-status';
import { type DestinationArgs, destinationArgument } from '../../../schema/destination';
import { parseGlobalId } from '../../../schema/ids';
import type { MunicipalContext } from '../context';
import type { CredentialRecord } from '../store';

/** Compared against when the id is unknown, so both paths hash and compare the same way. */
const NO_HASH = createHash('sha256').update('no credential').digest();

export function codeHash(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** Constant-time: the time taken does not depend on how much of the code matched. */
function matches(code: string, stored: string | null): boolean {
  const presented = createHash('sha256').update(code).digest();
  const expected = stored && /^[0-9a-f]{64}$/.test(stored) ? Buffer.from(stored, 'hex') : NO_HASH;
  return timingSafeEqual(presented, expected) && stored !== null;
}

export interface VerificationAnswer {
  id: string;
  valid: boolean;
  destination: string;
  status: string | null;
  credential: (CredentialRecord & { holderName: string }) | null;
}

/**
 * The credential and its code hash; where the store reads holder and qualification in the same
 * statement, the request's loaders are primed with them so the answer's fields cost nothing more.
 */
async function readForVerification(id: string, ctx: MunicipalContext) {
  if (ctx.store.verificationsByIds) {
    const [found] = await ctx.store.verificationsByIds([id]);
    if (found?.holder) ctx.loaders.holder.prime(found.holder.id, found.holder);
    if (found?.qualification) ctx.loaders.qualification.prime(found.qualification.id, found.qualification);
    return { record: found?.credential ?? null, stored: found?.verificationHash ?? null };
  }
  const [[record], [stored]] = await Promise.all([
    ctx.store.credentialsByIds([id]),
    ctx.store.verificationHashesByIds([id]),
  ]);
  return { record: record ?? null, stored: stored ?? null };
}

async function resolveQueryVerifyCredential(
  _: unknown,
  args: { id: string; code: string } & DestinationArgs,
  ctx: MunicipalContext,
): Promise<VerificationAnswer> {
  const destination = destinationArgument(args);
  const failed: VerificationAnswer = {
    id: randomUUID(),
    valid: false,
    destination,
    status: null,
    credential: null,
  };
  // An id this server does not own (malformed, or another member's) fails like an unknown one.
  const owner = parseGlobalId(args.id)?.municipality;
  if (!owner || !ctx.store.municipalities.includes(owner)) return failed;
  const attempt = 'Query.verifyCredential';
  if (args.code.length > 200) {
    ctx.access.note(owner, attempt, args.id, 'verification failed: the code is longer than any code');
    return failed;
  }
  // Read from the store, not a cache: a revocation a moment ago shows in this answer.
  const { record, stored } = await readForVerification(args.id, ctx);
  const ok = matches(args.code, stored ?? null);
  if (!ok || !record || record instanceof Error) {
    // The owner's log says which it was; the caller's answer does not.
    const why = !record || record instanceof Error ? 'no such credential' : 'the code does not match';
    ctx.access.note(owner, attempt, args.id, `verification failed: ${why}`);
    return failed;
  }
  const holder = await ctx.loaders.holder.load(record.holderId);
  ctx.access.note(owner, attempt, args.id, null);
  ctx.access.note(owner, 'VerifiedCredential.holderName', args.id, null);
  return {
    ...failed,
    valid: true,
    status: statusOn(record, ctx.today),
    credential: { ...record, holderName: holder && !(holder instanceof Error) ? holder.displayName : '' },
  };
}

/**
 * The owner's signed statement of a successful check, for the registry to countersign with the
 * recognition; signed only when asked for, and never for a failed check (nothing is attested then).
 */
function resolveVerificationStatement(v: VerificationAnswer, _: unknown, ctx: MunicipalContext) {
  if (!v.valid || !v.credential) return null;
  return ctx.attest({
    method: 'verifyCredential',
    verification: v.id,
    credential: v.credential.id,
    issuer: v.credential.municipality,
    valid: true,
    status: v.status,
    destination: v.destination,
    verifier: ctx.caller.subject,
  });
}

// Answers are not stored: a verification cannot be fetched again by its id.
function resolveVerificationReference() {
  return null;
}

function resolveVerifiedCredentialIssuer(c: CredentialRecord) {
  return { code: c.municipality };
}

function resolveVerifiedCredentialQualification(c: CredentialRecord, _: unknown, ctx: MunicipalContext) {
  return ctx.loaders.qualification.load(c.qualificationId);
}

export const verificationResolvers = {
  Query: {
    verifyCredential: resolveQueryVerifyCredential,
  },
  Verification: {
    __resolveReference: resolveVerificationReference,
    statement: resolveVerificationStatement,
  },
  VerifiedCredential: {
    issuer: resolveVerifiedCredentialIssuer,
    qualification: resolveVerifiedCredentialQualification,
  },
};
