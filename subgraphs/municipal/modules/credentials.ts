// Resolvers of the credentials subgraph: credentials, holders and qualifications of this municipality.
import { statusChangesOf, statusOn } from '../../../schema/credential-status';
import { checkPageSize, decodeKeyCursor } from '../../../schema/cursor';
import { crossgateError } from '../../../schema/errors';
import { parseGlobalId } from '../../../schema/ids';
import { scopeArgument } from '../../../schema/scope';
import type { MunicipalContext } from '../context';
import type { CredentialRecord, HolderRecord, QualificationRecord } from '../store';
import { connection } from './connection';
import { ownedId } from './owned-id';
import { historyOf } from './write-checks';

function resolveQueryCredential(_: unknown, args: { id: string }, ctx: MunicipalContext) {
  return ownedId(args.id, ctx) ? ctx.loaders.credential.load(args.id) : null;
}

function resolveQueryHolder(_: unknown, args: { id: string }, ctx: MunicipalContext) {
  return ownedId(args.id, ctx) ? ctx.loaders.holder.load(args.id) : null;
}

async function resolveQueryCredentials(
  _: unknown,
  args: { municipalities?: string[] | null; first?: number | null; after?: string | null },
  ctx: MunicipalContext,
) {
  const first = checkPageSize(args.first);
  const after = args.after ? decodeKeyCursor(args.after) : null;
  const page = await ctx.store.credentialPage({
    municipalities: scopeArgument(args.municipalities, 'municipalities'),
    after,
    first,
  });
  return connection(page, ctx);
}

async function resolveQueryCredentialsOfHolder(
  _: unknown,
  args: { regionalHolderId: string; municipalities?: string[] | null },
  ctx: MunicipalContext,
) {
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(args.regionalHolderId)) {
    throw crossgateError('BAD_USER_INPUT', 'regionalHolderId must be 8 to 128 characters of [A-Za-z0-9_-]', {
      argumentName: 'regionalHolderId',
    });
  }
  const [found] = await ctx.store.credentialsByRegionalHolderIds(
    [args.regionalHolderId],
    scopeArgument(args.municipalities, 'municipalities'),
  );
  return found ?? [];
}

async function resolveCredentialReference(ref: { id: string }, ctx: MunicipalContext) {
  return ownedId(ref.id, ctx) ? ctx.loaders.credential.load(ref.id) : null;
}

function resolveCredentialIssuer(c: CredentialRecord) {
  return { code: c.municipality };
}

function resolveCredentialHolder(c: CredentialRecord, _: unknown, ctx: MunicipalContext) {
  return ctx.loaders.holder.load(c.holderId);
}

function resolveCredentialQualification(c: CredentialRecord, _: unknown, ctx: MunicipalContext) {
  return ctx.loaders.qualification.load(c.qualificationId);
}

function resolveCredentialStatus(c: CredentialRecord, _: unknown, ctx: MunicipalContext) {
  return statusOn(c, ctx.today);
}

function resolveCredentialHistory(c: CredentialRecord, _: unknown, ctx: MunicipalContext) {
  return historyOf(c.id, ctx);
}

/**
 * The status each write left, oldest first, without who wrote it or why: the registry recognises a
 * credential at a date by the status in force then (the write log is the status history).
 */
async function resolveCredentialStatusChanges(c: CredentialRecord, _: unknown, ctx: MunicipalContext) {
  const entries = await ctx.loaders.history.load(c.id);
  return statusChangesOf(entries);
}

async function resolveHolderReference(ref: { id: string }, ctx: MunicipalContext) {
  return ownedId(ref.id, ctx) ? ctx.loaders.holder.load(ref.id) : null;
}

function resolveHolderMunicipality(h: HolderRecord) {
  return { code: h.municipality };
}

function resolveHolderCredentials(h: HolderRecord, _: unknown, ctx: MunicipalContext) {
  return ctx.loaders.credentialsOfHolder.load(h.id);
}

async function resolveQualificationReference(ref: { id: string }, ctx: MunicipalContext) {
  return ownedId(ref.id, ctx) ? ctx.loaders.qualification.load(ref.id) : null;
}

function resolveQualificationMunicipality(q: QualificationRecord) {
  return { code: parseGlobalId(q.id)?.municipality ?? q.municipality };
}

export const credentialResolvers = {
  Query: {
    credential: resolveQueryCredential,
    holder: resolveQueryHolder,
    credentials: resolveQueryCredentials,
    credentialsOfHolder: resolveQueryCredentialsOfHolder,
  },
  Credential: {
    __resolveReference: resolveCredentialReference,
    issuer: resolveCredentialIssuer,
    holder: resolveCredentialHolder,
    qualification: resolveCredentialQualification,
    status: resolveCredentialStatus,
    history: resolveCredentialHistory,
    statusChanges: resolveCredentialStatusChanges,
  },
  Holder: {
    __resolveReference: resolveHolderReference,
    municipality: resolveHolderMunicipality,
    credentials: resolveHolderCredentials,
  },
  Qualification: {
    __resolveReference: resolveQualificationReference,
    municipality: resolveQualificationMunicipality,
  },
};
