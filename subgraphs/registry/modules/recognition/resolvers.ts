// Resolvers of recognition: Credential.recognition and Verification.recognition, from required fields,
// and Verification.attestation, the registry's countersignature over the checking member's statement.
import {
  type AttestedRecognition,
  checkStatement,
  countersign,
} from '../../../../common/credentials/attestation';
import {
  type CredentialStatus,
  recordedStatusOn,
  type StatusChange,
} from '../../../../schema/credential-status';
import { type DestinationArgs, destinationArgument } from '../../../../schema/destination';
import { crossgateError } from '../../../../schema/errors';
import { ownerOf } from '../../../../schema/ids';
import type { RegistryContext } from '../../context';
import { requireMember } from '../agreements/resolvers';
import { type Decision, decideRecognition } from './decide';

/** The credential fields the registry requires from the credentials subgraph. */
interface RequiredCredential {
  id: string;
  status?: CredentialStatus | null;
  validFrom?: string | null;
  validUntil?: string | null;
  qualification?: { id: string; eqfLevel?: number | null } | null;
  /** The owner's status history (Credential.statusChanges); absent on a verification's credential. */
  statusChanges?: StatusChange[] | null;
}

/**
 * The status in force on `at` by the owner's status history; EXPIRED (derived for today) is a
 * recorded ACTIVE, whose dates the decision checks itself. Missing, it is refused as if revoked.
 */
function statusOnDate(c: RequiredCredential, at: string): CredentialStatus {
  if (!c.status) return 'REVOKED';
  const current = c.status === 'EXPIRED' ? 'ACTIVE' : c.status;
  return recordedStatusOn(current, c.statusChanges ?? [], at);
}

interface VerificationRef {
  id: string;
  destination?: string | null;
  status?: CredentialStatus | null;
  credential?: RequiredCredential | null;
  /** The checking member's signed statement (an @external field of the credentials subgraph). */
  statement?: string | null;
}

/** Decides from the required fields, loading the standard and the agreements binding the pair. */
async function decide(
  c: RequiredCredential,
  status: CredentialStatus,
  destination: string,
  at: string,
  ctx: RegistryContext,
): Promise<Decision> {
  await requireMember(destination, ctx);
  const issuer = ownerOf(c.id) ?? '';
  const qualificationId = c.qualification?.id ?? '';
  const mapping = qualificationId ? await ctx.loaders.mapping.load(qualificationId) : null;
  const standard = mapping ? await ctx.loaders.standard.load(mapping.standardCode) : null;
  const agreements = issuer === destination ? [] : await ctx.loaders.binding.load(`${issuer}|${destination}`);
  return decideRecognition({
    credential: {
      issuer,
      status,
      validFrom: c.validFrom ?? '9999-12-31',
      validUntil: c.validUntil ?? null,
      eqfLevel: c.qualification?.eqfLevel ?? null,
    },
    standard: standard
      ? { code: standard.code, iscoCode: standard.iscoCode, eqfLevel: standard.eqfLevel }
      : null,
    destination,
    at,
    agreements,
  });
}

async function recognise(
  c: RequiredCredential,
  status: CredentialStatus,
  destination: string,
  at: string,
  ctx: RegistryContext,
) {
  return present(await decide(c, status, destination, at, ctx), destination, at, ctx);
}

function present(d: Decision, destination: string, at: string, ctx: RegistryContext) {
  return {
    outcome: d.outcome,
    reason: d.reason,
    measures: d.measures,
    basis: d.basis && {
      clause: d.basis.clause,
      agreement: d.basis.agreementId
        ? () => ctx.loaders.agreement.load(d.basis?.agreementId as string)
        : null,
    },
    explanation: d.explanation,
    municipality: { code: destination },
    at,
  };
}

function resolveCredentialReference(ref: RequiredCredential) {
  return ref;
}

// The planner sends only entities whose required fields resolved, so status is always present;
// were it missing, refusing (as if revoked) is the safe answer (statusOnDate).
function resolveCredentialRecognition(
  c: RequiredCredential,
  args: DestinationArgs & { at?: string | null },
  ctx: RegistryContext,
) {
  const at = args.at ?? ctx.today;
  return recognise(c, statusOnDate(c, at), destinationArgument(args), at, ctx);
}

function resolveVerificationReference(ref: VerificationRef) {
  return ref;
}

function resolveVerificationRecognition(v: VerificationRef, _: unknown, ctx: RegistryContext) {
  return v.credential && v.status && v.destination
    ? recognise(v.credential, v.status, v.destination, ctx.today, ctx)
    : null;
}

/**
 * The attestation: the statement checked against the directory (signed by the credential's owner, or
 * by the gateway for a presentation, and about this very answer), then countersigned with the
 * recognition decided as Verification.recognition decides it (the request's loaders, no more SQL).
 */
async function resolveVerificationAttestation(v: VerificationRef, _: unknown, ctx: RegistryContext) {
  const c = v.credential;
  if (!v.statement || !c || !v.status || !v.destination) return null;
  const checked = await checkStatement(v.statement, ctx.attestation.keys);
  if (!checked.ok) {
    throw crossgateError('ATTESTATION_UNAVAILABLE', `The registry does not countersign: ${checked.reason}`);
  }
  const s = checked.check;
  if (s.credential !== c.id || s.destination !== v.destination || s.status !== v.status || !s.valid) {
    throw crossgateError(
      'ATTESTATION_UNAVAILABLE',
      'The registry does not countersign: the statement is about another check than this answer',
    );
  }
  const at = ctx.today;
  const d = await decide(c, v.status, v.destination, at, ctx);
  const recognition: AttestedRecognition = {
    outcome: d.outcome,
    reason: d.reason,
    measures: d.measures.map((m) => ({
      kind: m.kind,
      months: m.months ?? null,
      hours: m.hours ?? null,
      level: m.level ?? null,
    })),
    agreement: d.basis?.agreementId ?? null,
    clause: d.basis?.clause ?? null,
    destination: v.destination,
    at,
  };
  return countersign(
    ctx.attestation.key(),
    v.statement,
    recognition,
    new Date(ctx.attestation.now()).toISOString(),
  );
}

export const recognitionResolvers = {
  Credential: {
    __resolveReference: resolveCredentialReference,
    recognition: resolveCredentialRecognition,
  },
  Verification: {
    __resolveReference: resolveVerificationReference,
    recognition: resolveVerificationRecognition,
    attestation: resolveVerificationAttestation,
  },
};
