// IssuerKeys: a municipality's published verification keys (its JWKS), kept for a while. A seam: the
// registry's signed member directory replaces the fetch from the issuer endpoint.
import type { JWK } from 'jose';
import type { IssuerDocumentFetch } from './issuer-documents';

export interface IssuerKeys {
  /** The municipality's public keys; null when it is no member or publishes none. */
  keysOf(municipality: string): Promise<readonly JWK[] | null>;
}

export function fetchedIssuerKeys(fetch: IssuerDocumentFetch, ttlMs: number, now: () => number): IssuerKeys {
  const kept = new Map<string, { keys: Promise<readonly JWK[] | null>; until: number }>();
  return {
    keysOf(municipality) {
      const hit = kept.get(municipality);
      if (hit && hit.until > now()) return hit.keys;
      const keys = fetch(municipality, 'jwks').then((doc) => {
        if (doc?.status !== 200) return null;
        const parsed = JSON.parse(doc.body) as { keys?: JWK[] };
        return Array.isArray(parsed.keys) ? parsed.keys : null;
      });
      kept.set(municipality, { keys, until: now() + ttlMs });
      // A failure or an unknown member is not kept: the next presentation asks again.
      keys.then(
        (k) => k === null && kept.delete(municipality),
        () => kept.delete(municipality),
      );
      return keys;
    },
  };
}
