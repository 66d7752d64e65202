// What a municipal server needs to issue verifiable credentials: each municipality's signing key,
// its issuer URL (under the gateway), its status list positions, and a clock.
import type { StatusPurpose } from '../../../common/credentials/status-list';
import type { IssuerSigningKey } from './signing-key';
import type { StatusIndexes } from './status-indexes';

export interface Issuing {
  keys: ReadonlyMap<string, IssuerSigningKey>;
  /** The public base URL of the gateway, read when needed (a test's gateway starts later). */
  publicBaseUrl: () => string;
  indexes: StatusIndexes;
  now: () => Date;
  /** How long a signed status list may be relied on (validUntil and max-age). */
  statusTtlSeconds: number;
}

export const issuerUrlOf = (base: string, municipality: string) =>
  `${base.replace(/\/$/, '')}/issuers/${municipality}`;

export const statusListUrlOf = (issuerUrl: string, purpose: StatusPurpose) =>
  `${issuerUrl}/status/${purpose}`;

/** The server-side path of an issuer document that the gateway proxies under /issuers/<code>/. */
export const issuerPath = (municipality: string, tail: string) => `/issuer/${municipality}/${tail}`;
