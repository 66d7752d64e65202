// Where a member finds the identity provider's keys that sign bearer tokens: a JWKS file or a JWKS URL.
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { ReadinessCheck } from './lifecycle';

export type KeySource =
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string }
  | { kind: 'jwks'; jwks: JSONWebKeySet };

/** A key resolver for jwtVerify; a remote set is fetched on demand and cached by jose. */
export function tokenKeys(source: KeySource): JWTVerifyGetKey {
  switch (source.kind) {
    case 'jwks':
      return createLocalJWKSet(source.jwks);
    case 'file':
      return createLocalJWKSet(JSON.parse(readFileSync(source.path, 'utf8')) as JSONWebKeySet);
    case 'url':
      return createRemoteJWKSet(new URL(source.url), { cacheMaxAge: 10 * 60_000, timeoutDuration: 5000 });
  }
}

interface RemoteKeySet {
  jwks(): JSONWebKeySet | undefined;
  reload(): Promise<void>;
  reloading: boolean;
}

/**
 * Whether the token keys are loaded: a file or inline set is read at start (or start fails); a
 * remote set is ready once fetched, and each check while it is not starts another fetch.
 */
export function keysReadiness(keys: JWTVerifyGetKey): ReadinessCheck {
  const remote = keys as unknown as Partial<RemoteKeySet>;
  if (typeof remote.jwks !== 'function' || typeof remote.reload !== 'function') return { ok: true };
  if (remote.jwks()) return { ok: true };
  if (!remote.reloading) void remote.reload().catch(() => undefined);
  return { ok: false, detail: 'the JWKS has not been fetched yet' };
}
