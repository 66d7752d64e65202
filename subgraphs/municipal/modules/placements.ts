// Resolvers of the workforce subgraph: placements registered in this municipality.
import { checkPageSize, decodeKeyCursor } from '../../../schema/cursor';
import type { MunicipalContext } from '../context';
import type { PlacementRecord } from '../store';
import { connection, ownedId, scopeOf } from './shared';

export const placementResolvers = {
  Query: {
    placement: (_: unknown, args: { id: string }, ctx: MunicipalContext) =>
      ownedId(args.id, ctx) ? ctx.loaders.placement.load(args.id) : null,
    placements: async (
      _: unknown,
      args: { municipalities?: string[] | null; first?: number | null; after?: string | null },
      ctx: MunicipalContext,
    ) => {
      const first = checkPageSize(args.first);
      const after = args.after ? decodeKeyCursor(args.after) : null;
      const page = await ctx.store.placementPage({
        municipalities: scopeOf(args.municipalities, ctx),
        after,
        first,
      });
      return connection(page, ctx);
    },
  },
  Placement: {
    __resolveReference: async (ref: { id: string }, ctx: MunicipalContext) =>
      ownedId(ref.id, ctx) ? ctx.loaders.placement.load(ref.id) : null,
    municipality: (p: PlacementRecord) => ({ code: p.municipality }),
    occupation: (p: PlacementRecord) => ({ iscoCode: p.iscoCode }),
    /** A reference only: the credential may be owned by another municipality. */
    credential: (p: PlacementRecord) => ({ __typename: 'Credential', id: p.credentialId }),
  },
};
