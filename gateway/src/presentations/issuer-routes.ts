// The issuers' public documents served through the gateway: /issuers/<code>/jwks, its status lists,
// and SD-JWT VC issuer metadata at /.well-known/jwt-vc-issuer/issuers/<code> (and beside the issuer).
import type { Route } from '../../../common/http';
import { isMunicipalityCode } from '../../../schema/ids';
import type { IssuerDocumentFetch } from './issuer-documents';

const ISSUER_DOCUMENT =
  /^(?:\/\.well-known\/jwt-vc-issuer\/issuers\/([A-Z]{2,8})|\/issuers\/([A-Z]{2,8})\/(jwks|\.well-known\/jwt-vc-issuer|status\/revocation|status\/suspension))$/;

/** A route for any path under /issuers/ and /.well-known/jwt-vc-issuer/; null for other paths. */
export function issuerDocumentRoute(path: string, fetch: IssuerDocumentFetch): Route | null {
  const match = ISSUER_DOCUMENT.exec(path);
  if (!match) return null;
  const code = (match[1] ?? match[2]) as string;
  const tail =
    match[3] === undefined || match[3] === '.well-known/jwt-vc-issuer' ? 'jwt-vc-issuer' : match[3];
  return async (_req, res) => {
    const doc = isMunicipalityCode(code) ? await fetch(code, tail).catch(() => null) : null;
    if (doc?.status !== 200) {
      res.statusCode = doc ? 502 : 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: doc ? `issuer ${code} did not answer` : `no issuer ${code}` }));
      return;
    }
    res.setHeader('content-type', doc.contentType);
    if (doc.maxAgeSeconds !== null) res.setHeader('cache-control', `public, max-age=${doc.maxAgeSeconds}`);
    res.end(doc.body);
  };
}
