// Resolvers of the credentials subgraph: credentials, holders and qualifications of this municipality.
import { statusOn } from '../../../schema/credential-status';
import { checkPageSize, decodeKeyCursor } from '../../../schema/cursor';
import { crossgateError } from '../../../schema/errors';
import { parseGlobalId } from '../../../schema/ids';
import { scopeArgument } from '../../../schema/scope';
import type { MunicipalContext } from '../context';
import type { CredentialRecord, HolderRecord, QualificationRecord } from '../store';
import { connection } from './connection';
import { ownedId } from './owned-id';
import { historyOf } from './write-checks';

export const credentialResolvers = {
  Query: {
    credential: (_: unknown, args: { id: string }, ctx: MunicipalContext) =>
      ownedId(args.id, ctx) ? ctx.loaders.credential.load(args.id) : null,
    holder: (_: unknown, args: { id: string }, ctx: MunicipalContext) =>
      ownedId(args.id, ctx) ? ctx.loaders.holder.load(args.id) : null,
    credentials: async (
      _: unknown,
      args: { municipalities?: string[] | null; first?: number | null; after?: string | null },
      ctx: MunicipalContext,
    ) => {
      const first = checkPageSize(args.first);
      const after = args.after ? decodeKeyCursor(args.after) : null;
      const page = await ctx.store.credentialPage({
        municipalities: scopeArgument(args.municipalities, 'municipalities'),
        after,
        first,
      });
      return connection(page, ctx);
    },
    credentialsOfHolder: async (
      _: unknown,
      args: { regionalHolderId: string; municipalities?: string[] | null },
      ctx: MunicipalContext,
    ) => {
      if (!/^[A-Za-z0-9_-]{8,128}$/.test(args.regionalHolderId)) {
        throw crossgateError(
          'BAD_USER_INPUT',
          'regionalHolderId must be 8 to 128 characters of [A-Za-z0-9_-]',
          {
            argumentName: 'regionalHolderId',
          },
        );
      }
      const [found] = await ctx.store.credentialsByRegionalHolderIds(
        [args.regionalHolderId],
        scopeArgument(args.municipalities, 'municipalities'),
      );
      return found ?? [];
    },
  },
  Credential: {
    __resolveReference: async (ref: { id: string }, ctx: MunicipalContext) =>
      ownedId(ref.id, ctx) ? ctx.loaders.credential.load(ref.id) : null,
    issuer: (c: CredentialRecord) => ({ code: c.municipality }),
    holder: (c: CredentialRecord, _: unknown, ctx: MunicipalContext) => ctx.loaders.holder.load(c.holderId),
    qualification: (c: CredentialRecord, _: unknown, ctx: MunicipalContext) =>
      ctx.loaders.qualification.load(c.qualificationId),
    status: (c: CredentialRecord, _: unknown, ctx: MunicipalContext) => statusOn(c, ctx.today),
    history: (c: CredentialRecord, _: unknown, ctx: MunicipalContext) => historyOf(c.id, ctx),
  },
  Holder: {
    __resolveReference: async (ref: { id: string }, ctx: MunicipalContext) =>
      ownedId(ref.id, ctx) ? ctx.loaders.holder.load(ref.id) : null,
    municipality: (h: HolderRecord) => ({ code: h.municipality }),
    credentials: (h: HolderRecord, _: unknown, ctx: MunicipalContext) =>
      ctx.loaders.credentialsOfHolder.load(h.id),
  },
  Qualification: {
    __resolveReference: async (ref: { id: string }, ctx: MunicipalContext) =>
      ownedId(ref.id, ctx) ? ctx.loaders.qualification.load(ref.id) : null,
    municipality: (q: QualificationRecord) => ({ code: parseGlobalId(q.id)?.municipality ?? q.municipality }),
  },
};
