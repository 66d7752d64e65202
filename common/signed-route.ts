// Lets only calls signed by a member's own key (RFC 9421, checked against the directory) through to a
// route, and signs a route's answers with the receiver's own key, bound to the call they answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from './http';
import type { SignerKey } from './key-directory';
import type { MemberKeyring } from './member-keys';
import { type CallRefusal, type CallVerifier, signAnswer } from './message-signatures';

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
  refusal: { path: string; reason: Refusal },
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
    return refuse(req, res, { path, reason: outcome.reason });
  };
}

/**
 * Signs every answer of `route` that answers a signed call (RFC 9421 response signature over the
 * status and the body's digest, bound to the call's signature). The body is held until it is complete,
 * then signed and sent whole.
 */
export function signingAnswers(keyring: MemberKeyring, now: () => number, route: Route): Route {
  return (req, res, body) => {
    const requestSignature = headerOf(req)('signature');
    if (!requestSignature) return route(req, res, body);
    const chunks: Buffer[] = [];
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      chunks.push(
        typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
          : Buffer.from(chunk as Uint8Array),
      );
    };
    const end = res.end.bind(res);
    res.write = ((chunk: unknown, encoding?: unknown) => {
      collect(chunk, encoding);
      return true;
    }) as typeof res.write;
    res.end = ((chunk?: unknown, encoding?: unknown) => {
      collect(chunk, encoding);
      const whole = Buffer.concat(chunks);
      if (!res.headersSent) {
        const signed = signAnswer(
          keyring.current,
          { status: res.statusCode, body: whole },
          requestSignature,
          now(),
        );
        for (const [name, value] of Object.entries(signed)) res.setHeader(name, value);
      }
      return end(whole);
    }) as typeof res.end;
    return route(req, res, body);
  };
}
