// The auditors' view of the audit checkpoints the registry witnessed, per municipality.
import { municipalityCodeArgument } from '../../../schema/ids';
import type { RegistryContext } from '../context';

function resolveQueryAuditCheckpoints(_: unknown, args: { municipality: string }, ctx: RegistryContext) {
  return ctx.witness.witnessed(municipalityCodeArgument(args.municipality, 'municipality'));
}

export const auditWitnessResolvers = {
  Query: { auditCheckpoints: resolveQueryAuditCheckpoints },
};
