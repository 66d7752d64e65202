// IssuerKeys: the keys a municipality signs its credentials and status lists with, as the registry's
// signed directory lists them for that member; what the issuer serves itself is never taken on its word.
import type { KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { KeyDirectory } from '../../../common/key-directory';

export interface IssuerKeys {
  /** The municipality's public keys; null when the directory lists none for it (no member, or suspended). */
  keysOf(municipality: string): Promise<readonly JWK[] | null>;
}

/** The public JWK of a listed key, named by its `kid` as the member's signatures name it. */
function jwkOf(kid: string, key: KeyObject): JWK {
  const { kty, crv, x } = key.export({ format: 'jwk' }) as JWK;
  return { kty, crv, x, kid, alg: 'EdDSA', use: 'sig' };
}

/** Issuer keys read from the gateway's copy of the directory (kept for its TTL, shared with the answer checks). */
export function directoryIssuerKeys(directory: Pick<KeyDirectory, 'keysOfMember'>): IssuerKeys {
  return {
    async keysOf(municipality) {
      const listed = await directory.keysOfMember(municipality, 'municipality');
      return listed.length === 0 ? null : listed.map((k) => jwkOf(k.kid, k.publicKey));
    },
  };
}
