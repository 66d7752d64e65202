// Resolvers of the workforce subgraph: placements registered in this municipality.
import { checkPageSize, decodeKeyCursor } from '../../../schema/cursor';
import { crossgateError } from '../../../schema/errors';
import { scopeArgument } from '../../../schema/scope';
import type { MunicipalContext } from '../context';
import type { PlacementRecord } from '../store';
import { connection } from './connection';
import { ownedId } from './owned-id';
import { officerOf, requireCredentialId, requireText, writeLogOf } from './write-checks';

interface PlacementInput {
  credentialId: string;
  employer: string;
  iscoCode: string;
  startDate: string;
  endDate?: string | null;
}

function resolveQueryPlacement(_: unknown, args: { id: string }, ctx: MunicipalContext) {
  return ownedId(args.id, ctx) ? ctx.loaders.placement.load(args.id) : null;
}

async function resolveQueryPlacements(
  _: unknown,
  args: { municipalities?: string[] | null; first?: number | null; after?: string | null },
  ctx: MunicipalContext,
) {
  const first = checkPageSize(args.first);
  const after = args.after ? decodeKeyCursor(args.after) : null;
  const page = await ctx.store.placementPage({
    municipalities: scopeArgument(args.municipalities, 'municipalities'),
    after,
    first,
  });
  return connection(page, ctx);
}

function resolveMutationRegisterPlacement(
  _: unknown,
  a: { municipality: string; input: PlacementInput; idempotencyKey: string; reason?: string | null },
  ctx: MunicipalContext,
) {
  const m = officerOf(a.municipality, ctx);
  const { input } = a;
  requireCredentialId(input.credentialId);
  if (!/^\d{4}$/.test(input.iscoCode)) {
    throw crossgateError(
      'BAD_USER_INPUT',
      `iscoCode must be an ISCO-08 unit group of 4 digits; received ${JSON.stringify(input.iscoCode.slice(0, 10))}`,
      {
        argumentName: 'input.iscoCode',
      },
    );
  }
  if (input.endDate && input.endDate < input.startDate) {
    throw crossgateError('BAD_USER_INPUT', 'endDate is before startDate', {
      argumentName: 'input.endDate',
    });
  }
  const record = {
    municipality: m,
    credentialId: input.credentialId,
    employer: requireText('input.employer', input.employer, 200),
    iscoCode: input.iscoCode,
    startDate: input.startDate,
    endDate: input.endDate ?? null,
  };
  return ctx.store.registerPlacement(
    record,
    writeLogOf(ctx, m, 'registerPlacement', a.idempotencyKey, record, a.reason),
  );
}

async function resolvePlacementReference(ref: { id: string }, ctx: MunicipalContext) {
  return ownedId(ref.id, ctx) ? ctx.loaders.placement.load(ref.id) : null;
}

function resolvePlacementMunicipality(p: PlacementRecord) {
  return { code: p.municipality };
}

function resolvePlacementOccupation(p: PlacementRecord) {
  return { iscoCode: p.iscoCode };
}

/** A reference only: the credential may be owned by another municipality. */
function resolvePlacementCredential(p: PlacementRecord) {
  return { __typename: 'Credential', id: p.credentialId };
}

export const placementResolvers = {
  Query: {
    placement: resolveQueryPlacement,
    placements: resolveQueryPlacements,
  },
  Mutation: {
    registerPlacement: resolveMutationRegisterPlacement,
  },
  Placement: {
    __resolveReference: resolvePlacementReference,
    municipality: resolvePlacementMunicipality,
    occupation: resolvePlacementOccupation,
    credential: resolvePlacementCredential,
  },
};
