// A municipality's Bitstring Status List as a VC 2.0 credential signed by its issuer key, and the
// check a verifier makes of one before trusting its bits.
import { compactVerify, createLocalJWKSet, type JWK } from 'jose';
import { type SigningKey, signJwt } from './sign';
import { decodeBitstring, encodeBitstring, type StatusPurpose } from './status-list';

export interface StatusListInput {
  issuerUrl: string;
  /** The URL the list is served at; its `id`. */
  url: string;
  purpose: StatusPurpose;
  bits: Uint8Array;
  /** How long verifiers may rely on it; `validUntil` of the credential. */
  ttlSeconds: number;
  now: Date;
}

export function signStatusList(input: StatusListInput, key: SigningKey): Promise<string> {
  const until = new Date(input.now.getTime() + input.ttlSeconds * 1000);
  return signJwt(
    {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: input.url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: input.issuerUrl,
      validFrom: input.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      validUntil: until.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      credentialSubject: {
        id: `${input.url}#list`,
        type: 'BitstringStatusList',
        statusPurpose: input.purpose,
        encodedList: encodeBitstring(input.bits),
      },
    },
    key,
    'vc+jwt',
    input.now,
  );
}

export interface ReadStatusList {
  url: string;
  issuerUrl: string;
  purpose: StatusPurpose;
  bits: Uint8Array;
  validFrom: string;
  validUntil: string;
}

/** Verifies a status list credential against the issuer's keys; throws when it does not hold. */
export async function readStatusList(jwt: string, keys: readonly JWK[]): Promise<ReadStatusList> {
  const { payload } = await compactVerify(jwt, createLocalJWKSet({ keys: [...keys] }), {
    algorithms: ['EdDSA'],
  });
  const vc = JSON.parse(new TextDecoder().decode(payload)) as {
    id?: string;
    issuer?: string;
    validFrom?: string;
    validUntil?: string;
    credentialSubject?: { statusPurpose?: string; encodedList?: string };
  };
  const purpose = vc.credentialSubject?.statusPurpose;
  if (purpose !== 'revocation' && purpose !== 'suspension') throw new Error('unknown statusPurpose');
  if (!vc.id || !vc.issuer || !vc.validFrom || !vc.validUntil || !vc.credentialSubject?.encodedList) {
    throw new Error('status list credential lacks id, issuer, validity or encodedList');
  }
  return {
    url: vc.id,
    issuerUrl: vc.issuer,
    purpose,
    bits: decodeBitstring(vc.credentialSubject.encodedList),
    validFrom: vc.validFrom,
    validUntil: vc.validUntil,
  };
}
