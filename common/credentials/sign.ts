// Signs a credential with its issuer's Ed25519 key: VC 2.0 as application/vc+jwt (jose), and
// SD-JWT VC with the holder's name selectively disclosable (@sd-jwt/sd-jwt-vc).
import { createHash, type KeyObject, randomBytes, sign } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { CompactSign, type JWK, SignJWT } from 'jose';
import { type AchievementFacts, achievementCredential, sdJwtClaims } from './achievement';

/** An issuer's key: what it signs with, and the public half published in its JWKS under `kid`. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

export type DocumentFormat = 'VC_JWT' | 'SD_JWT_VC';

export const MEDIA_TYPES: Record<DocumentFormat, string> = {
  VC_JWT: 'application/vc+jwt',
  SD_JWT_VC: 'application/dc+sd-jwt',
};

/** SHA-256, the digest of disclosures named `_sd_alg: sha-256`. */
export function sdHasher(data: string | ArrayBuffer, alg: string): Uint8Array {
  if (alg.toLowerCase() !== 'sha-256') throw new Error(`unsupported _sd_alg ${alg}`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/** The VC 2.0 credential as a compact JWS whose payload is the credential itself (VC-JOSE-COSE). */
export async function signVcJwt(facts: AchievementFacts, key: SigningKey): Promise<string> {
  const payload = new TextEncoder().encode(JSON.stringify(achievementCredential(facts)));
  return new CompactSign(payload)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: key.kid })
    .sign(key.privateKey);
}

/** The SD-JWT VC: every claim in the clear but the holder's name, which travels as a disclosure. */
export async function signSdJwtVc(facts: AchievementFacts, key: SigningKey, now: Date): Promise<string> {
  const issuer = new SDJwtVcInstance({
    hasher: sdHasher,
    hashAlg: 'sha-256',
    saltGenerator: () => randomBytes(16).toString('base64url'),
    signAlg: 'EdDSA',
    signer: (data: string) => sign(null, Buffer.from(data), key.privateKey).toString('base64url'),
  });
  const claims = { ...sdJwtClaims(facts), iat: Math.floor(now.getTime() / 1000) };
  return issuer.issue(claims, { _sd: ['name'] }, { header: { kid: key.kid, typ: 'dc+sd-jwt' } });
}

/** A status list credential (or any JSON payload) signed as a JWT by the issuer. */
export async function signJwt(
  payload: Record<string, unknown>,
  key: SigningKey,
  typ: string,
  now: Date,
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', typ, kid: key.kid })
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .sign(key.privateKey);
}
