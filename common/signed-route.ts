// Lets only requests signed by this deployment's gateway through to a route; the rest are refused.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CALLER_HEADER } from '../schema/caller';
import type { Route } from './http';
import type { RequestVerifier, VerifyOutcome } from './signature';

export const headerOf =
  (req: IncomingMessage) =>
  (name: string): string | undefined => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };

export type Refusal = Exclude<VerifyOutcome, { ok: true }>['reason'];

/** What a server does with a refused request: log, audit, answer (401 SIGNATURE_INVALID). */
export type RefusalHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  refusal: { path: string; reason: Refusal; caller: string },
) => Promise<void> | void;

export function signedOnly(
  verify: RequestVerifier,
  path: string,
  route: Route,
  refuse: RefusalHandler,
): Route {
  return async (req, res, body) => {
    const header = headerOf(req);
    const caller = header(CALLER_HEADER) ?? '';
    const outcome = await verify({ method: req.method ?? 'GET', path, body, caller }, header);
    if (outcome.ok) return route(req, res, body);
    return refuse(req, res, { path, reason: outcome.reason, caller });
  };
}
