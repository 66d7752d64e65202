// What every municipal write needs: an officer of the municipality, a valid key, a log entry.

import { checkIdempotencyKey, checkStorableText, payloadHash } from '../../../common/idempotency';
import { crossgateError } from '../../../schema/errors';
import { municipalityCodeArgument, parseGlobalId } from '../../../schema/ids';
import type { MunicipalContext } from '../context';
import type { WriteLog } from '../store';

/** The municipality a write targets, after checking the caller is one of its officers. */
export function officerOf(municipality: string, ctx: MunicipalContext): string {
  municipalityCodeArgument(municipality, 'municipality');
  if (!ctx.store.municipalities.includes(municipality)) {
    throw crossgateError('UNKNOWN_MUNICIPALITY', `This server does not keep the records of ${municipality}`, {
      municipality,
    });
  }
  const { caller } = ctx;
  if (caller.role !== 'officer' || caller.municipality !== municipality) {
    throw crossgateError(
      'FORBIDDEN',
      `Only an officer of ${municipality} may write its records; the caller is ${caller.role}${caller.municipality ? ` of ${caller.municipality}` : ''}`,
      { municipality },
    );
  }
  return municipality;
}

/** The owner of a record id, after checking the caller is one of its officers. */
export function officerOfRecord(id: string, ctx: MunicipalContext): string {
  const parsed = parseGlobalId(id);
  if (!parsed) {
    throw crossgateError(
      'INVALID_ID',
      `Expected an id of the form <MUNICIPALITY>:<local id>; received ${JSON.stringify(id.slice(0, 80))}`,
    );
  }
  return officerOf(parsed.municipality, ctx);
}

export function requireText(name: string, value: string | null | undefined, max = 1000): string {
  const text = (value ?? '').trim();
  if (text.length === 0 || text.length > max) {
    throw crossgateError(
      'BAD_USER_INPUT',
      `${name} must be 1 to ${max} characters; received ${text.length}`,
      { argumentName: name },
    );
  }
  return text;
}

/** A write names the credential it rests on by its global id, whichever municipality issued it. */
export function requireCredentialId(credentialId: string): void {
  if (parseGlobalId(credentialId)) return;
  throw crossgateError(
    'INVALID_ID',
    `credentialId must be <MUNICIPALITY>:<local id>; received ${JSON.stringify(credentialId.slice(0, 80))}`,
  );
}

/** The log entry of a write; the payload's hash makes a retry with other content a conflict. */
export function writeLogOf(
  ctx: MunicipalContext,
  municipality: string,
  operation: string,
  idempotencyKey: string,
  payload: Record<string, unknown>,
  reason: string | null | undefined,
): WriteLog {
  checkIdempotencyKey(idempotencyKey);
  checkStorableText({ payload, reason });
  return {
    municipality,
    idempotencyKey,
    operation,
    payloadHash: payloadHash(operation, { ...payload, reason: reason ?? null }),
    actor: ctx.caller.subject,
    reason: reason ?? null,
    at: ctx.now().toISOString(),
  };
}

/** The write history of a record, for officers of its municipality only. */
export function historyOf(id: string, ctx: MunicipalContext) {
  officerOfRecord(id, ctx);
  return ctx.loaders.history.load(id);
}
