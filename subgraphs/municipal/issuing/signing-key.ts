// The key a municipality signs its verifiable credentials and status lists with, loaded from (or
// created in) its data folder; a seam that the members' own key pairs replace.
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JWK } from 'jose';
import type { SigningKey } from '../../../common/credentials/sign';

/** The issuer key injected into the municipal server: { kid, privateKey, publicJwk }. */
export type IssuerSigningKey = SigningKey;

function fromPrivateKey(privateKey: KeyObject): IssuerSigningKey {
  const { d: _private, ...publicJwk } = privateKey.export({ format: 'jwk' }) as JWK;
  // RFC 7638 thumbprint of an OKP key: the required members in lexical order.
  const thumb = JSON.stringify({ crv: publicJwk.crv, kty: publicJwk.kty, x: publicJwk.x });
  const kid = createHash('sha256').update(thumb).digest('base64url');
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' } };
}

export function generateIssuerKey(): IssuerSigningKey {
  return fromPrivateKey(generateKeyPairSync('ed25519').privateKey);
}

/** Reads the PKCS#8 PEM at `file`, or writes a new one there (mode 0600) when there is none. */
export function loadOrCreateIssuerKey(file: string): IssuerSigningKey {
  if (existsSync(file)) return fromPrivateKey(createPrivateKey(readFileSync(file, 'utf8')));
  const key = generateIssuerKey();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { mode: 0o600 });
  return key;
}
