// Idempotent writes: the key's format, the payload's fingerprint, and the replay-or-conflict rule.
import { createHash } from 'node:crypto';
import { crossgateError } from '../schema/errors';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;

export function checkIdempotencyKey(key: string): void {
  if (!KEY.test(key)) {
    throw crossgateError(
      'BAD_USER_INPUT',
      `idempotencyKey must be 8 to 128 characters of [A-Za-z0-9._:-], e.g. a UUID; received ${JSON.stringify(key.slice(0, 40))}`,
      { argumentName: 'idempotencyKey' },
    );
  }
}

/** JSON with object keys sorted, so equal payloads hash equally whatever their key order. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Refuses text a database cannot store (NUL characters) anywhere in a write's payload. */
export function checkStorableText(payload: unknown): void {
  if (JSON.stringify(payload ?? null).includes('\\u0000')) {
    throw crossgateError('BAD_USER_INPUT', 'Text arguments must not contain NUL characters');
  }
}

/** Fingerprint of one write: its operation and its whole payload, the reason included. */
export function payloadHash(operation: string, payload: unknown): string {
  return createHash('sha256').update(operation).update('\n').update(stable(payload)).digest('hex');
}

export interface LoggedWrite {
  operation: string;
  payloadHash: string;
  result: unknown;
}

/** The first call's result when the key was used for the same write; an error when for another. */
export function replay<T>(logged: LoggedWrite, operation: string, hash: string): T {
  if (logged.operation !== operation || logged.payloadHash !== hash) {
    throw crossgateError(
      'IDEMPOTENCY_CONFLICT',
      `The idempotency key was already used for a different ${logged.operation === operation ? 'payload' : `operation (${logged.operation})`}; use a new key for a new write`,
      { argumentName: 'idempotencyKey' },
    );
  }
  return logged.result as T;
}
