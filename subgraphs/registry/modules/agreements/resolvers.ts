// Resolvers of reciprocity agreements: queries, fields, and the governance body's writes.
import type { Caller } from '../../../../schema/caller';
import { crossgateError } from '../../../../schema/errors';
import { municipalityCodeArgument } from '../../../../schema/ids';
import type { RegistryContext } from '../../context';
import type { MappingRow } from '../../store';
import { inForce } from '../recognition/decide';
import type { ProposeInput } from './governance-writes';
import { type AgreementRow, factsOf } from './records';

type Args<T> = T & { idempotencyKey: string; reason?: string | null };

const caller = (ctx: RegistryContext): Caller => ctx.caller;

/** An agreement id argument, checked before it reaches SQL. */
function checkAgreementId(id: string, argumentName = 'id'): string {
  if (!/^AG-[0-9]{1,9}$/.test(id)) {
    throw crossgateError(
      'BAD_USER_INPUT',
      `${argumentName} must be an agreement id such as "AG-001"; received ${JSON.stringify(id.slice(0, 40))}`,
      { argumentName },
    );
  }
  return id;
}

function resolveQueryAgreements(_: unknown, args: { municipality?: string | null }, ctx: RegistryContext) {
  return ctx.agreements.agreements(
    args.municipality == null ? null : municipalityCodeArgument(args.municipality, 'municipality'),
  );
}

function resolveQueryAgreement(_: unknown, args: { id: string }, ctx: RegistryContext) {
  return ctx.loaders.agreement.load(checkAgreementId(args.id));
}

function resolveMutationProposeAgreement(_: unknown, a: Args<{ input: ProposeInput }>, ctx: RegistryContext) {
  return ctx.writes.propose(caller(ctx), a.input, a.idempotencyKey, a.reason);
}

function resolveMutationRatifyAgreement(
  _: unknown,
  a: Args<{ id: string; municipality: string; on: string }>,
  ctx: RegistryContext,
) {
  return ctx.writes.ratify(
    caller(ctx),
    checkAgreementId(a.id),
    municipalityCodeArgument(a.municipality, 'municipality'),
    a.on,
    a.idempotencyKey,
    a.reason,
  );
}

function resolveMutationSuspendAgreement(
  _: unknown,
  a: Args<{ id: string; on: string; reason: string }>,
  ctx: RegistryContext,
) {
  return ctx.writes.halt(caller(ctx), 'suspend', checkAgreementId(a.id), a.on, a.idempotencyKey, a.reason);
}

function resolveMutationTerminateAgreement(
  _: unknown,
  a: Args<{ id: string; on: string; reason: string }>,
  ctx: RegistryContext,
) {
  return ctx.writes.halt(caller(ctx), 'terminate', checkAgreementId(a.id), a.on, a.idempotencyKey, a.reason);
}

function resolveMutationResumeAgreement(
  _: unknown,
  a: Args<{ id: string; on: string; reason: string }>,
  ctx: RegistryContext,
) {
  return ctx.writes.resume(caller(ctx), checkAgreementId(a.id), a.on, a.idempotencyKey, a.reason);
}

function resolveMutationMapQualification(
  _: unknown,
  a: Args<{ qualificationId: string; standardCode: string; since: string }>,
  ctx: RegistryContext,
): Promise<MappingRow> {
  return ctx.writes.map(caller(ctx), a.qualificationId, a.standardCode, a.since, a.idempotencyKey, a.reason);
}

function resolveMutationUnmapQualification(
  _: unknown,
  a: Args<{ qualificationId: string; reason: string }>,
  ctx: RegistryContext,
) {
  return ctx.writes.unmap(caller(ctx), a.qualificationId, a.idempotencyKey, a.reason);
}

function resolveAgreementReference(ref: { id: string }, ctx: RegistryContext) {
  return ctx.loaders.agreement.load(ref.id);
}

async function resolveAgreementParties(a: AgreementRow, _: unknown, ctx: RegistryContext) {
  return (await ctx.loaders.parties.load(a.id)).map((p) => ({
    municipality: { code: p.municipality },
    ratifiedOn: p.ratifiedOn,
  }));
}

function resolveAgreementScope(a: AgreementRow, _: unknown, ctx: RegistryContext) {
  return {
    standards: async () => {
      const rows = await ctx.loaders.standard.loadMany(a.standards);
      return rows.filter((r) => r !== null && !(r instanceof Error));
    },
    iscoGroups: a.iscoGroups,
    minEqfLevel: a.minEqfLevel,
    partialFromEqfLevel: a.partialFromEqfLevel,
  };
}

function resolveAgreementMeasures(a: AgreementRow) {
  return a.measures.map((d) => ({ from: { code: d.from }, to: { code: d.to }, measures: d.measures }));
}

async function resolveAgreementInForce(a: AgreementRow, args: { at?: string | null }, ctx: RegistryContext) {
  return inForce(factsOf(a, await ctx.loaders.parties.load(a.id)), args.at ?? ctx.today);
}

async function resolveAgreementHistory(a: AgreementRow, _: unknown, ctx: RegistryContext) {
  return (await ctx.loaders.history.load(a.id)).map((w) => ({
    action: w.operation,
    actor: w.actor,
    at: new Date(w.recordedAt).toISOString(),
    reason: w.reason,
  }));
}

export const agreementResolvers = {
  Query: {
    agreements: resolveQueryAgreements,
    agreement: resolveQueryAgreement,
  },
  Mutation: {
    proposeAgreement: resolveMutationProposeAgreement,
    ratifyAgreement: resolveMutationRatifyAgreement,
    suspendAgreement: resolveMutationSuspendAgreement,
    terminateAgreement: resolveMutationTerminateAgreement,
    resumeAgreement: resolveMutationResumeAgreement,
    mapQualification: resolveMutationMapQualification,
    unmapQualification: resolveMutationUnmapQualification,
  },
  Agreement: {
    __resolveReference: resolveAgreementReference,
    parties: resolveAgreementParties,
    scope: resolveAgreementScope,
    measures: resolveAgreementMeasures,
    inForce: resolveAgreementInForce,
    history: resolveAgreementHistory,
  },
};

/** An unknown municipality in an argument is the caller's error, named as such. */
export async function requireMember(code: string, ctx: RegistryContext): Promise<void> {
  municipalityCodeArgument(code, 'destination');
  const found = await ctx.loaders.municipality.load(code);
  if (!found) {
    throw crossgateError(
      'UNKNOWN_MUNICIPALITY',
      `${JSON.stringify(code.slice(0, 20))} is not a member of the region`,
      {
        argumentName: 'destination',
      },
    );
  }
}
