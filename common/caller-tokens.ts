// Bearer token → Caller: verifies the identity provider's JWT (signature, issuer, audience, expiry) once,
// then remembers it until it expires. The gateway admits callers with it; each owner checks them again itself.
import type { IncomingMessage } from 'node:http';
import { type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import { ANONYMOUS, type Caller, PURPOSE_HEADER, ROLES } from '../schema/caller';
import { crossgateError } from '../schema/errors';
import { MunicipalityCode } from '../schema/ids';

export interface AuthenticatorOptions {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** Clock for expiry checks; the system clock by default. */
  now?: () => Date;
  /** Tolerated clock skew in seconds. */
  clockToleranceSec?: number;
  /** Verified tokens remembered at most (default 10,000); the oldest goes first. */
  maxRemembered?: number;
}

/** A verified token's caller (without the per-request purpose) and the instant its token expires. */
interface Verified {
  caller: Omit<Caller, 'purpose'>;
  expiresAtMs: number;
}

export type Authenticator = (req: IncomingMessage) => Promise<Caller>;

const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];

const Claims = z.object({
  sub: z.string().min(1).max(200),
  role: z.enum(ROLES).exclude(['anonymous']),
  municipality: MunicipalityCode.optional(),
  exp: z.number(),
});

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The bearer token of a request, or null when it carries no Authorization header or another scheme. */
export function bearerTokenOf(req: IncomingMessage): string | null {
  const authorization = header(req, 'authorization');
  // The scheme name is case-insensitive (RFC 6750 section 2.1, RFC 9110 section 11.1).
  return (authorization && /^Bearer +([A-Za-z0-9_.-]+)$/i.exec(authorization)?.[1]) || null;
}

function purposeOf(req: IncomingMessage): string | null {
  const raw = header(req, PURPOSE_HEADER)?.trim();
  if (!raw) return null;
  if (raw.length > 500)
    throw crossgateError('BAD_USER_INPUT', 'x-crossgate-purpose must be at most 500 characters');
  return raw;
}

function rejection(e: unknown): Error {
  if (e instanceof joseErrors.JWTExpired)
    return crossgateError('UNAUTHENTICATED', 'The bearer token has expired');
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    const claim = e.claim === 'aud' ? 'audience' : e.claim === 'iss' ? 'issuer' : `claim "${e.claim}"`;
    return crossgateError('UNAUTHENTICATED', `The bearer token's ${claim} is not accepted here`);
  }
  if (e instanceof joseErrors.JWKSNoMatchingKey || e instanceof joseErrors.JWSSignatureVerificationFailed) {
    return crossgateError('UNAUTHENTICATED', 'The bearer token is not signed by a trusted key');
  }
  if (e instanceof joseErrors.JOSEAlgNotAllowed) {
    return crossgateError(
      'UNAUTHENTICATED',
      `The bearer token must be signed with one of ${ALGORITHMS.join(', ')}`,
    );
  }
  return crossgateError('UNAUTHENTICATED', 'The bearer token is malformed');
}

/**
 * No Authorization header means anonymous; a present but invalid token is refused, never downgraded.
 * A token that verified is remembered until its `exp` (without the skew tolerance), so a client
 * sending the same token again costs one map lookup instead of a signature check.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const remembered = new Map<string, Verified>();
  const maxRemembered = options.maxRemembered ?? 10_000;
  const nowMs = () => options.now?.().getTime() ?? Date.now();
  return async (req) => {
    const purpose = purposeOf(req);
    const authorization = header(req, 'authorization');
    if (!authorization) return ANONYMOUS;
    const token = bearerTokenOf(req);
    if (!token) throw crossgateError('UNAUTHENTICATED', 'Expected "Authorization: Bearer <token>"');
    const known = remembered.get(token);
    if (known) {
      if (known.expiresAtMs > nowMs()) return { ...known.caller, purpose };
      remembered.delete(token);
    }
    const verified = await verify(token, options);
    if (remembered.size >= maxRemembered) {
      const oldest = remembered.keys().next().value;
      if (oldest !== undefined) remembered.delete(oldest);
    }
    remembered.set(token, verified);
    return { ...verified.caller, purpose };
  };
}

async function verify(token: string, options: AuthenticatorOptions): Promise<Verified> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, options.keys, {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: ALGORITHMS,
      requiredClaims: ['exp', 'sub'],
      currentDate: options.now?.(),
      clockTolerance: options.clockToleranceSec ?? 30,
    }));
  } catch (e) {
    throw rejection(e);
  }
  const claims = Claims.safeParse(payload);
  if (!claims.success) {
    throw crossgateError(
      'UNAUTHENTICATED',
      'The bearer token names no known role (or a malformed municipality)',
    );
  }
  const { sub, role, municipality, exp } = claims.data;
  if (role === 'officer' && !municipality) {
    throw crossgateError('UNAUTHENTICATED', "An officer's token must name the officer's municipality");
  }
  return { caller: { subject: sub, role, municipality: municipality ?? null }, expiresAtMs: exp * 1000 };
}
