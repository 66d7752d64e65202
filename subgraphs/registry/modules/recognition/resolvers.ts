// Resolvers of recognition: Credential.recognition and Verification.recognition, from required fields.
import type { CredentialStatus } from '../../../../schema/credential-status';
import { type DestinationArgs, destinationArgument } from '../../../../schema/destination';
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
}

interface VerificationRef {
  id: string;
  destination?: string | null;
  status?: CredentialStatus | null;
  credential?: RequiredCredential | null;
}

/** Decides from the required fields, loading the standard and the agreements binding the pair. */
async function recognise(
  c: RequiredCredential,
  status: CredentialStatus,
  destination: string,
  at: string,
  ctx: RegistryContext,
) {
  await requireMember(destination, ctx);
  const issuer = ownerOf(c.id) ?? '';
  const qualificationId = c.qualification?.id ?? '';
  const mapping = qualificationId ? await ctx.loaders.mapping.load(qualificationId) : null;
  const standard = mapping ? await ctx.loaders.standard.load(mapping.standardCode) : null;
  const agreements = issuer === destination ? [] : await ctx.loaders.binding.load(`${issuer}|${destination}`);
  const decision = decideRecognition({
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
  return present(decision, destination, at, ctx);
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
// were it missing, refusing (as if revoked) is the safe answer.
function resolveCredentialRecognition(
  c: RequiredCredential,
  args: DestinationArgs & { at?: string | null },
  ctx: RegistryContext,
) {
  return recognise(c, c.status ?? 'REVOKED', destinationArgument(args), args.at ?? ctx.today, ctx);
}

function resolveVerificationReference(ref: VerificationRef) {
  return ref;
}

function resolveVerificationRecognition(v: VerificationRef, _: unknown, ctx: RegistryContext) {
  return v.credential && v.status && v.destination
    ? recognise(v.credential, v.status, v.destination, ctx.today, ctx)
    : null;
}

export const recognitionResolvers = {
  Credential: {
    __resolveReference: resolveCredentialReference,
    recognition: resolveCredentialRecognition,
  },
  Verification: {
    __resolveReference: resolveVerificationReference,
    recognition: resolveVerificationRecognition,
  },
};
