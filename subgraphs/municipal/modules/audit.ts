// Resolvers of the owner's audit trail: who read which of this municipality's records, and what was refused.
import { crossgateError } from '../../../schema/errors';
import type { MunicipalContext } from '../context';

async function resolveQueryAuditTrail(
  _: unknown,
  args: { municipality: string; first?: number | null; before?: number | null },
  ctx: MunicipalContext,
) {
  if (!ctx.store.municipalities.includes(args.municipality)) {
    throw crossgateError(
      'UNKNOWN_MUNICIPALITY',
      `This subgraph keeps no audit log for ${args.municipality.slice(0, 8)}`,
      {
        municipality: ctx.store.municipalities.join('+'),
      },
    );
  }
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 500) {
    throw crossgateError('BAD_USER_INPUT', `first must be between 1 and 500; received ${first}`, {
      argumentName: 'first',
    });
  }
  const entries = await ctx.audit.trail({
    municipality: args.municipality,
    first,
    before: args.before ?? null,
  });
  return entries.map((e) => ({ ...e, homeMunicipality: e.home, decision: e.decision.toUpperCase() }));
}

export const auditResolvers = {
  Query: {
    auditTrail: resolveQueryAuditTrail,
  },
};
