// The demo's trust material: the identity provider's token-signing key pair and each member's own key
// folder, generated once under the data directory (never committed), plus a token minter.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from 'jose';
import type { MemberRole } from '../../common/key-directory';
import { MemberKeyring } from '../../common/member-keys';
import type { Role } from '../../schema/caller';

export const DEMO_ISSUER = 'https://auth.crossgate.example';
export const DEMO_AUDIENCE = 'crossgate-gateway';

export interface TrustMaterial {
  privateJwk: JWK;
  jwks: JSONWebKeySet;
}

/** A fresh token-signing key pair, for tests and first starts. */
export async function generateTrustMaterial(
  kid = `demo-${randomBytes(4).toString('hex')}`,
): Promise<TrustMaterial> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { privateJwk, jwks: { keys: [publicJwk] } };
}

export const trustPaths = (dir: string) => ({
  privateJwk: join(dir, 'token-signing.private.jwk.json'),
  jwks: join(dir, 'token-signing.jwks.json'),
});

/** Reads the demo's trust material from `dir`, generating it on first use. */
export async function ensureTrustMaterial(dir: string): Promise<TrustMaterial> {
  const paths = trustPaths(dir);
  if (!existsSync(paths.privateJwk)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fresh = await generateTrustMaterial();
    writeFileSync(paths.privateJwk, JSON.stringify(fresh.privateJwk, null, 2), { mode: 0o600 });
    writeFileSync(paths.jwks, JSON.stringify(fresh.jwks, null, 2));
    return fresh;
  }
  return {
    privateJwk: JSON.parse(readFileSync(paths.privateJwk, 'utf8')) as JWK,
    jwks: JSON.parse(readFileSync(paths.jwks, 'utf8')) as JSONWebKeySet,
  };
}

/** The demo's members: each one's key folder, and what the operator admits to the registry at start. */
export interface RegionMemberKeys {
  /** Key folder of the gateway, the registry and each municipality (by code). */
  dirs: { gateway: string; registry: string; municipalities: Record<string, string> };
  /** Public keys the registry admits at start (MEMBER_KEYS). */
  admitted: { member: string; role: MemberRole; jwk: JWK }[];
  /** The registry's public keys, the anchor the others check its directory against (REGISTRY_KEYS). */
  registryJwks: JSONWebKeySet;
}

/**
 * Opens (creating on first use) each member's own key folder under `dir`; a process later opens the
 * same folder and signs with the same key. Only public keys leave a folder.
 */
export function regionMemberKeys(dir: string, codes: readonly string[]): RegionMemberKeys {
  const dirs = {
    gateway: join(dir, 'gateway'),
    registry: join(dir, 'registry'),
    municipalities: Object.fromEntries(codes.map((c) => [c, join(dir, `municipality-${c}`)])),
  };
  const registry = MemberKeyring.open(dirs.registry, 'registry');
  const gateway = MemberKeyring.open(dirs.gateway, 'gateway');
  const admitted = [
    ...gateway.all().map((k) => ({ member: 'gateway', role: 'gateway' as const, jwk: k.publicJwk })),
    ...codes.flatMap((code) =>
      MemberKeyring.open(dirs.municipalities[code] as string, code)
        .all()
        .map((k) => ({ member: code, role: 'municipality' as const, jwk: k.publicJwk })),
    ),
  ];
  return { dirs, admitted, registryJwks: { keys: registry.all().map((k) => k.publicJwk) } };
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
