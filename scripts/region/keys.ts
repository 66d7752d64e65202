// The demo's trust material: a token-signing key pair and the gateway-to-subgraph secret,
// generated once under the data directory (never committed), plus a token minter.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from 'jose';
import type { Role } from '../../schema/caller';

export const DEMO_ISSUER = 'https://auth.crossgate.example';
export const DEMO_AUDIENCE = 'crossgate-gateway';

export interface TrustMaterial {
  privateJwk: JWK;
  jwks: JSONWebKeySet;
  subgraphSecret: string;
}

/** A fresh key pair and secret, for tests and first starts. */
export async function generateTrustMaterial(
  kid = `demo-${randomBytes(4).toString('hex')}`,
): Promise<TrustMaterial> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { privateJwk, jwks: { keys: [publicJwk] }, subgraphSecret: randomBytes(32).toString('base64url') };
}

export const trustPaths = (dir: string) => ({
  privateJwk: join(dir, 'token-signing.private.jwk.json'),
  jwks: join(dir, 'token-signing.jwks.json'),
  subgraphSecret: join(dir, 'subgraph-secret'),
});

/** Reads the demo's trust material from `dir`, generating it on first use. */
export async function ensureTrustMaterial(dir: string): Promise<TrustMaterial> {
  const paths = trustPaths(dir);
  if (!existsSync(paths.privateJwk)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fresh = await generateTrustMaterial();
    writeFileSync(paths.privateJwk, JSON.stringify(fresh.privateJwk, null, 2), { mode: 0o600 });
    writeFileSync(paths.jwks, JSON.stringify(fresh.jwks, null, 2));
    writeFileSync(paths.subgraphSecret, fresh.subgraphSecret, { mode: 0o600 });
    return fresh;
  }
  return {
    privateJwk: JSON.parse(readFileSync(paths.privateJwk, 'utf8')) as JWK,
    jwks: JSON.parse(readFileSync(paths.jwks, 'utf8')) as JSONWebKeySet,
    subgraphSecret: readFileSync(paths.subgraphSecret, 'utf8').trim(),
  };
}

export interface TokenClaims {
  subject: string;
  role: Exclude<Role, 'anonymous'>;
  municipality?: string;
}

export interface MintOptions {
  issuer?: string;
  audience?: string;
  /** Lifetime in seconds (negative mints an already expired token). */
  ttlSec?: number;
  now?: number;
}

export async function mintToken(
  privateJwk: JWK,
  claims: TokenClaims,
  options: MintOptions = {},
): Promise<string> {
  const key = await importJWK(privateJwk, privateJwk.alg ?? 'ES256');
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  return new SignJWT({
    role: claims.role,
    ...(claims.municipality ? { municipality: claims.municipality } : {}),
  })
    .setProtectedHeader({ alg: privateJwk.alg ?? 'ES256', kid: privateJwk.kid, typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(options.issuer ?? DEMO_ISSUER)
    .setAudience(options.audience ?? DEMO_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.ttlSec ?? 3600))
    .sign(key);
}
