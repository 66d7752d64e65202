// Resolvers of the governance body's member writes (admit, suspend, readmit, rotate and withdraw keys)
// and of a member's keys and history.
import type { RegistryContext } from '../../context';
import type { MunicipalityRow } from '../../store';
import type { AdmitMemberInput, PublicJwkInput } from './admission';

type Args<T> = T & { idempotencyKey: string; reason?: string | null };

function resolveMutationAdmitMember(_: unknown, a: Args<{ input: AdmitMemberInput }>, ctx: RegistryContext) {
  return ctx.admission.admit(ctx.caller, a.input, a.idempotencyKey, a.reason);
}

function resolveMutationSuspendMember(
  _: unknown,
  a: Args<{ code: string; reason: string }>,
  ctx: RegistryContext,
) {
  return ctx.admission.suspend(ctx.caller, a.code, a.idempotencyKey, a.reason);
}

function resolveMutationReadmitMember(
  _: unknown,
  a: Args<{ code: string; reason: string }>,
  ctx: RegistryContext,
) {
  return ctx.admission.readmit(ctx.caller, a.code, a.idempotencyKey, a.reason);
}

function resolveMutationRotateMemberKey(
  _: unknown,
  a: Args<{ code: string; next: PublicJwkInput; retire?: string | null }>,
  ctx: RegistryContext,
) {
  return ctx.admission.rotateKey(ctx.caller, a.code, a.next, a.retire, a.idempotencyKey, a.reason);
}

function resolveMutationWithdrawMemberKey(
  _: unknown,
  a: Args<{ code: string; kid: string; reason: string }>,
  ctx: RegistryContext,
) {
  return ctx.admission.withdrawKey(ctx.caller, a.code, a.kid, a.idempotencyKey, a.reason);
}

function resolveMunicipalityKeys(m: MunicipalityRow, _: unknown, ctx: RegistryContext) {
  return ctx.loaders.memberKeys.load(m.code);
}

async function resolveMunicipalityHistory(m: MunicipalityRow, _: unknown, ctx: RegistryContext) {
  return (await ctx.loaders.history.load(m.code)).map((w) => ({
    action: w.operation,
    actor: w.actor,
    at: new Date(w.recordedAt).toISOString(),
    reason: w.reason,
  }));
}

export const memberResolvers = {
  Mutation: {
    admitMember: resolveMutationAdmitMember,
    suspendMember: resolveMutationSuspendMember,
    readmitMember: resolveMutationReadmitMember,
    rotateMemberKey: resolveMutationRotateMemberKey,
    withdrawMemberKey: resolveMutationWithdrawMemberKey,
  },
  Municipality: {
    keys: resolveMunicipalityKeys,
    history: resolveMunicipalityHistory,
  },
};
