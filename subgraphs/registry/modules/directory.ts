// Resolvers of the registry subgraph: members, occupations, standards and qualification mappings.
import { municipalityCodeArgument } from '../../../schema/ids';
import type { RegistryContext } from '../context';
import type { MappingRow, StandardRow } from '../store';

function resolveQueryMunicipalities(_: unknown, __: unknown, ctx: RegistryContext) {
  return ctx.store.municipalities();
}

function resolveQueryMunicipality(_: unknown, args: { code: string }, ctx: RegistryContext) {
  return ctx.loaders.municipality.load(municipalityCodeArgument(args.code, 'code'));
}

function resolveQueryOccupations(_: unknown, __: unknown, ctx: RegistryContext) {
  return ctx.store.occupations();
}

function resolveQueryRegionalStandards(_: unknown, __: unknown, ctx: RegistryContext) {
  return ctx.store.standards();
}

function resolveQueryQualificationMappings(
  _: unknown,
  args: { municipality?: string | null },
  ctx: RegistryContext,
) {
  return ctx.store.mappings(
    args.municipality == null ? null : municipalityCodeArgument(args.municipality, 'municipality'),
  );
}

function resolveQueryMemberDirectory(_: unknown, __: unknown, ctx: RegistryContext) {
  return ctx.store.municipalities();
}

function resolveMunicipalityReference(ref: { code: string }, ctx: RegistryContext) {
  return ctx.loaders.municipality.load(ref.code);
}

function resolveOccupationReference(ref: { iscoCode: string }, ctx: RegistryContext) {
  return ctx.loaders.occupation.load(ref.iscoCode);
}

function resolveRegionalStandardReference(ref: { code: string }, ctx: RegistryContext) {
  return ctx.loaders.standard.load(ref.code);
}

function resolveRegionalStandardOccupation(s: StandardRow, _: unknown, ctx: RegistryContext) {
  return ctx.loaders.occupation.load(s.iscoCode);
}

function resolveRegionalStandardTitles(s: StandardRow) {
  return [{ language: 'en', text: s.title }, ...s.titles];
}

function resolveQualificationReference(ref: { id: string }) {
  return { id: ref.id };
}

async function resolveQualificationRegionalStandard(q: { id: string }, _: unknown, ctx: RegistryContext) {
  const mapping = await ctx.loaders.mapping.load(q.id);
  return mapping ? ctx.loaders.standard.load(mapping.standardCode) : null;
}

function resolveQualificationMappingQualification(m: MappingRow) {
  return { id: m.qualificationId };
}

function resolveQualificationMappingStandard(m: MappingRow, _: unknown, ctx: RegistryContext) {
  return ctx.loaders.standard.load(m.standardCode);
}

export const directoryResolvers = {
  Query: {
    municipalities: resolveQueryMunicipalities,
    municipality: resolveQueryMunicipality,
    occupations: resolveQueryOccupations,
    regionalStandards: resolveQueryRegionalStandards,
    qualificationMappings: resolveQueryQualificationMappings,
    memberDirectory: resolveQueryMemberDirectory,
  },
  Municipality: {
    __resolveReference: resolveMunicipalityReference,
  },
  Occupation: {
    __resolveReference: resolveOccupationReference,
  },
  RegionalStandard: {
    __resolveReference: resolveRegionalStandardReference,
    occupation: resolveRegionalStandardOccupation,
    titles: resolveRegionalStandardTitles,
  },
  Qualification: {
    __resolveReference: resolveQualificationReference,
    regionalStandard: resolveQualificationRegionalStandard,
  },
  QualificationMapping: {
    qualification: resolveQualificationMappingQualification,
    standard: resolveQualificationMappingStandard,
  },
};
