// Where the gateway finds the keys that sign bearer tokens: a JWKS file or a JWKS URL.
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

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
