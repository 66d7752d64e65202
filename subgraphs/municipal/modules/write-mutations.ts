// Officers' writes to credentials, decisions and appeals in their own municipality.
import { crossgateError } from '../../../schema/errors';
import { parseGlobalId } from '../../../schema/ids';
import { isIsoDate } from '../../../schema/scalars';
import type { MunicipalContext } from '../context';
import type { AppealRecord, CredentialAction, DecisionRecord, RecognitionOutcome } from '../store';
import { codeHash } from './verification';
import { historyOf, officerOf, officerOfRecord, requireText, writeLogOf } from './write-checks';

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

const lifecycle =
  (action: CredentialAction, operation: string) =>
  (_: unknown, a: Keyed<{ id: string; reason: string }>, ctx: MunicipalContext) => {
    const m = officerOfRecord(a.id, ctx);
    const reason = requireText('reason', a.reason);
    return ctx.store.changeCredentialState(
      a.id,
      action,
      writeLogOf(ctx, m, operation, a.idempotencyKey, { id: a.id }, reason),
    );
  };

export const credentialWriteResolvers = {
  Mutation: {
    issueCredential: (
      _: unknown,
      a: Keyed<{ municipality: string; input: IssueInput }>,
      ctx: MunicipalContext,
    ) => {
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
    },
    suspendCredential: lifecycle('suspend', 'suspendCredential'),
    reinstateCredential: lifecycle('reinstate', 'reinstateCredential'),
    revokeCredential: lifecycle('revoke', 'revokeCredential'),
    recordRecognitionDecision: (
      _: unknown,
      a: { municipality: string; input: DecisionInput; idempotencyKey: string },
      ctx: MunicipalContext,
    ) => {
      const m = officerOf(a.municipality, ctx);
      const { input } = a;
      if (!parseGlobalId(input.credentialId)) {
        throw crossgateError(
          'INVALID_ID',
          `credentialId must be <MUNICIPALITY>:<local id>; received ${JSON.stringify(input.credentialId.slice(0, 80))}`,
        );
      }
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
    },
    fileAppeal: (
      _: unknown,
      a: { decisionId: string; grounds: string; idempotencyKey: string },
      ctx: MunicipalContext,
    ) => {
      const m = officerOfRecord(a.decisionId, ctx);
      const grounds = requireText('grounds', a.grounds, 5000);
      return ctx.store.fileAppeal(
        a.decisionId,
        grounds,
        writeLogOf(ctx, m, 'fileAppeal', a.idempotencyKey, { decisionId: a.decisionId, grounds }, grounds),
      );
    },
    resolveAppeal: (
      _: unknown,
      a: Keyed<{ id: string; outcome: 'UPHELD' | 'OVERTURNED'; reason: string }>,
      ctx: MunicipalContext,
    ) => {
      const m = officerOfRecord(a.id, ctx);
      const reason = requireText('reason', a.reason);
      return ctx.store.resolveAppeal(
        a.id,
        a.outcome,
        writeLogOf(ctx, m, 'resolveAppeal', a.idempotencyKey, { id: a.id, outcome: a.outcome }, reason),
      );
    },
  },
  Query: {
    recognitionDecision: async (_: unknown, a: { id: string }, ctx: MunicipalContext) => {
      officerOfRecord(a.id, ctx);
      const [found] = await ctx.store.decisionsByIds([a.id]);
      return found ?? null;
    },
  },
  RecognitionDecision: {
    __resolveReference: async (ref: { id: string }, ctx: MunicipalContext) => {
      officerOfRecord(ref.id, ctx);
      const [found] = await ctx.store.decisionsByIds([ref.id]);
      return found ?? null;
    },
    municipality: (d: DecisionRecord) => ({ code: d.municipality }),
    credential: (d: DecisionRecord) => ({ __typename: 'Credential', id: d.credentialId }),
    history: (d: DecisionRecord, _: unknown, ctx: MunicipalContext) => historyOf(d.id, ctx),
    appeals: async (d: DecisionRecord, _: unknown, ctx: MunicipalContext) =>
      (await ctx.store.appealsByDecisionIds([d.id]))[0] ?? [],
  },
  Appeal: {
    __resolveReference: () => null,
    decision: async (a: AppealRecord, _: unknown, ctx: MunicipalContext) =>
      (await ctx.store.decisionsByIds([a.decisionId]))[0] ?? null,
  },
};
