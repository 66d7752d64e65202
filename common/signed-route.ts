// Lets only calls signed by a member's own key (RFC 9421, checked against the directory) through to a route.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CALLER_HEADER } from '../schema/caller';
import type { Route } from './http';
import type { SignerKey } from './key-directory';
import type { CallRefusal, CallVerifier } from './message-signatures';

export const headerOf =
  (req: IncomingMessage) =>
  (name: string): string | undefined => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };

export type Refusal = CallRefusal;

/** What a server does with a refused call: log, audit, answer (401 SIGNATURE_INVALID). */
export type RefusalHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  refusal: { path: string; reason: Refusal; caller: string },
) => Promise<void> | void;

/** A route told which member's key signed the call. */
export type SignedRoute = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  signer: SignerKey,
) => Promise<void> | void;

export function signedOnly(
  verify: CallVerifier,
  path: string,
  route: SignedRoute,
  refuse: RefusalHandler,
): Route {
  return async (req, res, body) => {
    const header = headerOf(req);
    const outcome = await verify({ method: req.method ?? 'GET', path: req.url ?? path, body, header });
    if (outcome.ok) return route(req, res, body, outcome.signer);
    return refuse(req, res, { path, reason: outcome.reason, caller: header(CALLER_HEADER) ?? '' });
  };
}
