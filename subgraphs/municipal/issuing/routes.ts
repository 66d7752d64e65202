// The public documents of each issuer, unsigned because they are public: SD-JWT VC issuer metadata,
// the JWKS (the member's own public keys), and the two status lists (GZIP inside, cacheable). The
// gateway serves them under /issuers/<code>/.
import { createHash } from 'node:crypto';
import { STATUS_PURPOSES } from '../../../common/credentials/status-list';
import type { Route } from '../../../common/http';
import { type Issuing, issuerPath, issuerUrlOf } from './issuer';
import type { StatusListPublisher } from './status-lists';

/** The member's public keys, read at each request: a rotation shows without a restart. */
const jwksOf = (issuing: Issuing) => ({ keys: issuing.keyring.all().map((k) => k.publicJwk) });

/** The issuer documents of every municipality the server holds. */
export function issuerRoutes(
  issuing: Issuing,
  lists: StatusListPublisher,
  municipalities: readonly string[],
): Record<string, Route> {
  const routes: Record<string, Route> = {};
  for (const municipality of municipalities) {
    routes[issuerPath(municipality, 'jwks')] = (_req, res) => {
      const jwks = jwksOf(issuing);
      res.setHeader('content-type', 'application/jwk-set+json');
      res.setHeader('cache-control', 'public, max-age=300');
      res.end(JSON.stringify(jwks));
    };
    routes[issuerPath(municipality, 'jwt-vc-issuer')] = (_req, res) => {
      const issuer = issuerUrlOf(issuing.publicBaseUrl(), municipality);
      const jwks = jwksOf(issuing);
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'public, max-age=300');
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks`, jwks }));
    };
    for (const purpose of STATUS_PURPOSES) {
      routes[issuerPath(municipality, `status/${purpose}`)] = async (req, res) => {
        const jwt = await lists.list(municipality, purpose);
        const etag = `"${createHash('sha256').update(jwt).digest('base64url').slice(0, 27)}"`;
        res.setHeader('cache-control', `public, max-age=${Math.floor(issuing.statusTtlSeconds / 2)}`);
        res.setHeader('etag', etag);
        if (req.headers['if-none-match'] === etag) {
          res.statusCode = 304;
          res.end();
          return;
        }
        res.setHeader('content-type', 'application/vc+jwt');
        res.end(jwt);
      };
    }
  }
  return routes;
}
