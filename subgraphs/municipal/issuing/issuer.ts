// What a municipal server needs to issue verifiable credentials: the member's own keys (those the
// registry's directory lists for it), its issuer URL (under the gateway), its status list positions, and a clock.
import type { StatusPurpose } from '../../../common/credentials/status-list';
import type { MemberKeyring } from '../../../common/member-keys';
import type { StatusIndexes } from './status-indexes';

/** What is configured for issuing; the server adds its own member keyring to it. */
export interface IssuingSettings {
  /** The public base URL of the gateway, read when needed (a test's gateway starts later). */
  publicBaseUrl: () => string;
  indexes: StatusIndexes;
  now: () => Date;
  /** How long a signed status list may be relied on (validUntil and max-age). */
  statusTtlSeconds: number;
}

/** Issuing as the server does it: credentials and status lists signed with the member's current key. */
export interface Issuing extends IssuingSettings {
  /** The member's keyring: its current key signs, every key it holds is in its JWKS. */
  keyring: MemberKeyring;
}

export const issuerUrlOf = (base: string, municipality: string) =>
  `${base.replace(/\/$/, '')}/issuers/${municipality}`;

export const statusListUrlOf = (issuerUrl: string, purpose: StatusPurpose) =>
  `${issuerUrl}/status/${purpose}`;

/** The server-side path of an issuer document that the gateway proxies under /issuers/<code>/. */
export const issuerPath = (municipality: string, tail: string) => `/issuer/${municipality}/${tail}`;
