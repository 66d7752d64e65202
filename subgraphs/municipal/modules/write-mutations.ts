// Officers' writes to credentials, decisions and appeals in their own municipality.
import { crossgateError } from '../../../schema/errors';
import { isIsoDate } from '../../../schema/scalars';
import type { MunicipalContext } from '../context';
import type { AppealRecord, CredentialAction, DecisionRecord, RecognitionOutcome } from '../store';
import { codeHash } from './verification';
import {
  historyOf,
  officerOf,
  officerOfRecord,
  requireCredentialId,
  requireText,
  writeLogOf,
} from './write-checks';

type Keyed<T> = T & { idempotencyKey: string; reason?: string | null };

interface IssueInput {
  holderId: string;
  qualificationId: string;
  validFrom: string;
  validUntil?: string | null;
  verificationCode: string;
}

interface DecisionInput {
  credentialId: string;
  decidedFor: string;
  outcome: RecognitionOutcome;
  reason?: string | null;
  agreementId?: string | null;
  clause?: string | null;
  inputs: string;
  note?: string | null;
}

const bad = (argumentName: string, message: string) =>
  crossgateError('BAD_USER_INPUT', message, { argumentName });

type LifecycleArgs = Keyed<{ id: string; reason: string }>;

/** Moves a credential through its lifecycle, as an officer of its issuer, with the reason logged. */
function changeLifecycle(
  action: CredentialAction,
  operation: string,
  a: LifecycleArgs,
  ctx: MunicipalContext,
) {
  const m = officerOfRecord(a.id, ctx);
  const reason = requireText('reason', a.reason);
  return ctx.store.changeCredentialState(
    a.id,
    action,
    writeLogOf(ctx, m, operation, a.idempotencyKey, { id: a.id }, reason),
  );
}

function resolveMutationSuspendCredential(_: unknown, a: LifecycleArgs, ctx: MunicipalContext) {
  return changeLifecycle('suspend', 'suspendCredential', a, ctx);
}

function resolveMutationReinstateCredential(_: unknown, a: LifecycleArgs, ctx: MunicipalContext) {
  return changeLifecycle('reinstate', 'reinstateCredential', a, ctx);
}

function resolveMutationRevokeCredential(_: unknown, a: LifecycleArgs, ctx: MunicipalContext) {
  return changeLifecycle('revoke', 'revokeCredential', a, ctx);
}

function resolveMutationIssueCredential(
  _: unknown,
  a: Keyed<{ municipality: string; input: IssueInput }>,
  ctx: MunicipalContext,
) {
  const m = officerOf(a.municipality, ctx);
  const { input } = a;
  if (input.validUntil && input.validUntil < input.validFrom)
    throw bad('input.validUntil', 'validUntil is before validFrom');
  if (!/^[A-Za-z0-9-]{6,64}$/.test(input.verificationCode)) {
    throw bad('input.verificationCode', 'verificationCode must be 6 to 64 characters of [A-Za-z0-9-]');
  }
  const hash = codeHash(input.verificationCode);
  const payload = {
    holderId: input.holderId,
    qualificationId: input.qualificationId,
    validFrom: input.validFrom,
    validUntil: input.validUntil ?? null,
    hash,
  };
  return ctx.store.issueCredential(
    {
      municipality: m,
      holderId: input.holderId,
      qualificationId: input.qualificationId,
      validFrom: input.validFrom,
      validUntil: input.validUntil ?? null,
      verificationHash: hash,
    },
    writeLogOf(ctx, m, 'issueCredential', a.idempotencyKey, payload, a.reason),
  );
}

function resolveMutationRecordRecognitionDecision(
  _: unknown,
  a: { municipality: string; input: DecisionInput; idempotencyKey: string },
  ctx: MunicipalContext,
) {
  const m = officerOf(a.municipality, ctx);
  const { input } = a;
  requireCredentialId(input.credentialId);
  if (!isIsoDate(input.decidedFor)) throw bad('input.decidedFor', 'decidedFor must be YYYY-MM-DD');
  if (input.outcome !== 'RECOGNISED' && !input.reason)
    throw bad('input.reason', `A ${input.outcome} decision needs a reason code`);
  requireText('input.inputs', input.inputs, 20_000);
  try {
    JSON.parse(input.inputs);
  } catch {
    throw bad('input.inputs', 'inputs must be JSON text (the snapshot the decision rested on)');
  }
  const record = {
    municipality: m,
    credentialId: input.credentialId,
    decidedFor: input.decidedFor,
    outcome: input.outcome,
    reason: input.reason ?? null,
    agreementId: input.agreementId ?? null,
    clause: input.clause ?? null,
    inputs: input.inputs,
    note: input.note ?? null,
  };
  return ctx.store.recordDecision(
    record,
    writeLogOf(ctx, m, 'recordRecognitionDecision', a.idempotencyKey, record, input.note),
  );
}

function resolveMutationFileAppeal(
  _: unknown,
  a: { decisionId: string; grounds: string; idempotencyKey: string },
  ctx: MunicipalContext,
) {
  const m = officerOfRecord(a.decisionId, ctx);
  const grounds = requireText('grounds', a.grounds, 5000);
  return ctx.store.fileAppeal(
    a.decisionId,
    grounds,
    writeLogOf(ctx, m, 'fileAppeal', a.idempotencyKey, { decisionId: a.decisionId, grounds }, grounds),
  );
}

function resolveMutationResolveAppeal(
  _: unknown,
  a: Keyed<{ id: string; outcome: 'UPHELD' | 'OVERTURNED'; reason: string }>,
  ctx: MunicipalContext,
) {
  const m = officerOfRecord(a.id, ctx);
  const reason = requireText('reason', a.reason);
  return ctx.store.resolveAppeal(
    a.id,
    a.outcome,
    writeLogOf(ctx, m, 'resolveAppeal', a.idempotencyKey, { id: a.id, outcome: a.outcome }, reason),
  );
}

async function resolveQueryRecognitionDecision(_: unknown, a: { id: string }, ctx: MunicipalContext) {
  officerOfRecord(a.id, ctx);
  const [found] = await ctx.store.decisionsByIds([a.id]);
  return found ?? null;
}

async function resolveRecognitionDecisionReference(ref: { id: string }, ctx: MunicipalContext) {
  officerOfRecord(ref.id, ctx);
  const [found] = await ctx.store.decisionsByIds([ref.id]);
  return found ?? null;
}

function resolveRecognitionDecisionMunicipality(d: DecisionRecord) {
  return { code: d.municipality };
}

function resolveRecognitionDecisionCredential(d: DecisionRecord) {
  return { __typename: 'Credential', id: d.credentialId };
}

function resolveRecognitionDecisionHistory(d: DecisionRecord, _: unknown, ctx: MunicipalContext) {
  return historyOf(d.id, ctx);
}

async function resolveRecognitionDecisionAppeals(d: DecisionRecord, _: unknown, ctx: MunicipalContext) {
  return (await ctx.store.appealsByDecisionIds([d.id]))[0] ?? [];
}

function resolveAppealReference() {
  return null;
}

async function resolveAppealDecision(a: AppealRecord, _: unknown, ctx: MunicipalContext) {
  return (await ctx.store.decisionsByIds([a.decisionId]))[0] ?? null;
}

export const writeMutationResolvers = {
  Mutation: {
    issueCredential: resolveMutationIssueCredential,
    suspendCredential: resolveMutationSuspendCredential,
    reinstateCredential: resolveMutationReinstateCredential,
    revokeCredential: resolveMutationRevokeCredential,
    recordRecognitionDecision: resolveMutationRecordRecognitionDecision,
    fileAppeal: resolveMutationFileAppeal,
    resolveAppeal: resolveMutationResolveAppeal,
  },
  Query: {
    recognitionDecision: resolveQueryRecognitionDecision,
  },
  RecognitionDecision: {
    __resolveReference: resolveRecognitionDecisionReference,
    municipality: resolveRecognitionDecisionMunicipality,
    credential: resolveRecognitionDecisionCredential,
    history: resolveRecognitionDecisionHistory,
    appeals: resolveRecognitionDecisionAppeals,
  },
  Appeal: {
    __resolveReference: resolveAppealReference,
    decision: resolveAppealDecision,
  },
};
