// The checks a request passes before GraphQL sees it: who is calling, whether it is within its
// rate, and (for public callers in persisted mode) whether the operation is in the manifest.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLError } from 'graphql';
import { sendJson } from '../../../common/http';
import type { Caller } from '../../../schema/caller';
import { CODES, type ErrorCode } from '../../../schema/errors';
import { applyPersisted, type Manifest, type PersistedMode } from '../limits/persisted';
import type { RateLimiter } from '../limits/rate-limit';

export interface FrontDoor {
  authenticate(req: IncomingMessage): Promise<Caller>;
  rateLimiter: RateLimiter;
  persisted: { mode: PersistedMode; manifest: Manifest };
}

export type Admission = { ok: true; caller: Caller; body: string } | { ok: false };

function refuse(res: ServerResponse, status: number, code: ErrorCode, message: string, extra = {}) {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...extra } }] });
}

const addressKey = (req: IncomingMessage) => `ip:${req.socket.remoteAddress ?? 'unknown'}`;

function clientKey(req: IncomingMessage, caller: Caller): string {
  return caller.role === 'anonymous' ? addressKey(req) : `sub:${caller.subject}`;
}

/** Refuses the request when its key is over its allowance; true when it was refused. */
async function overLimit(door: FrontDoor, res: ServerResponse, key: string): Promise<boolean> {
  const rate = await door.rateLimiter.hit(key);
  if (rate.allowed) return false;
  res.setHeader('retry-after', String(Math.ceil(rate.retryAfterMs / 1000)));
  refuse(res, 429, CODES.RATE_LIMITED, 'Too many requests from this caller', {
    retryAfterMs: rate.retryAfterMs,
  });
  return true;
}

/** Admits the request (with its caller and the body to run) or answers it with an error. */
export async function admit(
  door: FrontDoor,
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
): Promise<Admission> {
  let caller: Caller;
  try {
    caller = await door.authenticate(req);
  } catch (e) {
    // A refused token names no subject anyone vouched for: it counts against the caller's
    // address, as an anonymous call does, so a flood of bad tokens meets the limit too.
    if (await overLimit(door, res, addressKey(req))) return { ok: false };
    const error = e as GraphQLError;
    const code = (error.extensions?.code as ErrorCode | undefined) ?? CODES.UNAUTHENTICATED;
    refuse(res, code === CODES.UNAUTHENTICATED ? 401 : 400, code, error.message);
    return { ok: false };
  }
  if (await overLimit(door, res, clientKey(req, caller))) return { ok: false };
  if (door.persisted.mode === 'off') return { ok: true, caller, body: raw };
  if (req.method !== 'POST') {
    refuse(res, 400, CODES.PERSISTED_QUERY_NOT_FOUND, 'Persisted operations are sent with POST');
    return { ok: false };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    refuse(res, 400, CODES.BAD_REQUEST, 'Body is not valid JSON');
    return { ok: false };
  }
  const outcome = applyPersisted(door.persisted.mode, door.persisted.manifest, caller, parsed);
  if (!outcome.ok) {
    refuse(res, 400, CODES.PERSISTED_QUERY_NOT_FOUND, outcome.message);
    return { ok: false };
  }
  return { ok: true, caller, body: outcome.body === parsed ? raw : JSON.stringify(outcome.body) };
}
