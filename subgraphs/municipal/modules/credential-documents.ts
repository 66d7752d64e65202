// An officer of the issuing municipality gets a credential as a verifiable credential signed with
// the municipality's own member key: VC 2.0 (application/vc+jwt) or SD-JWT VC.
import type { AchievementFacts } from '../../../common/credentials/achievement';
import { type DocumentFormat, MEDIA_TYPES, signSdJwtVc, signVcJwt } from '../../../common/credentials/sign';
import { STATUS_PURPOSES, type StatusPurpose } from '../../../common/credentials/status-list';
import { crossgateError } from '../../../schema/errors';
import type { MunicipalContext } from '../context';
import { issuerUrlOf, statusListUrlOf } from '../issuing/issuer';
import { officerOfRecord } from './write-checks';

async function resolveQueryCredentialDocument(
  _: unknown,
  args: { id: string; format: DocumentFormat },
  ctx: MunicipalContext,
) {
  const municipality = officerOfRecord(args.id, ctx);
  const issuing = ctx.issuing;
  if (!issuing) {
    throw crossgateError(
      'CREDENTIAL_DOCUMENTS_UNAVAILABLE',
      `${municipality} has no issuer URL configured, so it cannot sign credential documents`,
      { municipality },
    );
  }
  const record = await ctx.loaders.credential.load(args.id);
  if (!record) throw crossgateError('NOT_FOUND', `No credential ${JSON.stringify(args.id.slice(0, 80))}`);
  const [holder, qualification, position] = await Promise.all([
    ctx.loaders.holder.load(record.holderId),
    ctx.loaders.qualification.load(record.qualificationId),
    issuing.indexes.positionOf(municipality, record.id),
  ]);
  if (!holder || !qualification) {
    throw crossgateError(
      'INVALID_RECORD',
      `The credential ${args.id} names a missing holder or qualification`,
    );
  }
  const issuerUrl = issuerUrlOf(issuing.publicBaseUrl(), municipality);
  const lists = Object.fromEntries(STATUS_PURPOSES.map((p) => [p, statusListUrlOf(issuerUrl, p)]));
  const facts: AchievementFacts = {
    credentialId: record.id,
    municipality,
    issuerUrl,
    holderName: holder.displayName,
    qualification: {
      id: qualification.id,
      code: qualification.code,
      title: qualification.title,
      eqfLevel: qualification.eqfLevel,
      iscoCode: qualification.iscoCode,
    },
    validFrom: record.validFrom,
    validUntil: record.validUntil,
    status: { index: position, lists: lists as Record<StatusPurpose, string> },
  };
  ctx.access.note(municipality, 'Query.credentialDocument', record.id, null);
  ctx.access.note(municipality, 'Holder.displayName', record.holderId, null);
  const key = issuing.keyring.current;
  const document =
    args.format === 'VC_JWT' ? await signVcJwt(facts, key) : await signSdJwtVc(facts, key, issuing.now());
  return {
    credentialId: record.id,
    format: args.format,
    mediaType: MEDIA_TYPES[args.format],
    issuer: issuerUrl,
    statusListIndex: position,
    document,
  };
}

/** Answered by the gateway itself (gateway/src/presentations/); a shard never is asked. */
function resolveQueryVerifyPresentation(): never {
  throw crossgateError('BAD_USER_INPUT', 'verifyPresentation is answered by the regional gateway');
}

export const credentialDocumentResolvers = {
  Query: {
    credentialDocument: resolveQueryCredentialDocument,
    verifyPresentation: resolveQueryVerifyPresentation,
  },
};
