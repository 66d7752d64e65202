// Resolvers of the registry subgraph: members, occupations, standards and qualification mappings.
import { municipalityCodeArgument } from '../../../schema/ids';
import type { RegistryContext } from '../context';
import type { MappingRow, StandardRow } from '../store';

export const directoryResolvers = {
  Query: {
    municipalities: (_: unknown, __: unknown, ctx: RegistryContext) => ctx.store.municipalities(),
    municipality: (_: unknown, args: { code: string }, ctx: RegistryContext) =>
      ctx.loaders.municipality.load(municipalityCodeArgument(args.code, 'code')),
    occupations: (_: unknown, __: unknown, ctx: RegistryContext) => ctx.store.occupations(),
    regionalStandards: (_: unknown, __: unknown, ctx: RegistryContext) => ctx.store.standards(),
    qualificationMappings: (_: unknown, args: { municipality?: string | null }, ctx: RegistryContext) =>
      ctx.store.mappings(
        args.municipality == null ? null : municipalityCodeArgument(args.municipality, 'municipality'),
      ),
    memberDirectory: (_: unknown, __: unknown, ctx: RegistryContext) => ctx.store.municipalities(),
  },
  Municipality: {
    __resolveReference: (ref: { code: string }, ctx: RegistryContext) =>
      ctx.loaders.municipality.load(ref.code),
  },
  Occupation: {
    __resolveReference: (ref: { iscoCode: string }, ctx: RegistryContext) =>
      ctx.loaders.occupation.load(ref.iscoCode),
  },
  RegionalStandard: {
    __resolveReference: (ref: { code: string }, ctx: RegistryContext) => ctx.loaders.standard.load(ref.code),
    occupation: (s: StandardRow, _: unknown, ctx: RegistryContext) => ctx.loaders.occupation.load(s.iscoCode),
    titles: (s: StandardRow) => [{ language: 'en', text: s.title }, ...s.titles],
  },
  Qualification: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    regionalStandard: async (q: { id: string }, _: unknown, ctx: RegistryContext) => {
      const mapping = await ctx.loaders.mapping.load(q.id);
      return mapping ? ctx.loaders.standard.load(mapping.standardCode) : null;
    },
  },
  QualificationMapping: {
    qualification: (m: MappingRow) => ({ id: m.qualificationId }),
    standard: (m: MappingRow, _: unknown, ctx: RegistryContext) => ctx.loaders.standard.load(m.standardCode),
  },
};
