// Fetches an issuer's public documents (JWKS, status lists) from the member that publishes them,
// never from a URL a presentation names; the member's address comes from the routing table.
import { request } from 'undici';

export interface IssuerDocument {
  status: number;
  body: string;
  /** The response's max-age in seconds, when it gave one. */
  maxAgeSeconds: number | null;
  contentType: string;
}

/** Reads `/issuer/<code>/<tail>` from the member serving `municipality`; null when none does. */
export type IssuerDocumentFetch = (municipality: string, tail: string) => Promise<IssuerDocument | null>;

/** `memberUrl` names any endpoint of the member (its credentials URL); the origin is kept. */
export function issuerDocumentFetch(
  memberUrl: (municipality: string) => string | undefined,
  timeoutMs: number,
): IssuerDocumentFetch {
  return async (municipality, tail) => {
    const endpoint = memberUrl(municipality);
    if (!endpoint) return null;
    const url = `${new URL(endpoint).origin}/issuer/${municipality}/${tail}`;
    const res = await request(url, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    const body = await res.body.text();
    const cache = String(res.headers['cache-control'] ?? '');
    const maxAge = /max-age=(\d+)/.exec(cache)?.[1];
    return {
      status: res.statusCode,
      body,
      maxAgeSeconds: maxAge === undefined ? null : Number(maxAge),
      contentType: String(res.headers['content-type'] ?? 'application/octet-stream'),
    };
  };
}
