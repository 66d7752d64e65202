// The registry's signed directory of members' keys, served at the gateway's /directory for verifiers of attestations.
import { request } from 'undici';
import type { Route } from '../../../common/http';

/** The path of the registry's public directory, beside its GraphQL endpoint. */
const REGISTRY_PATH = '/public-directory';

/**
 * Passes the registry's signed document through unchanged: whoever saves it checks the registry's
 * signature themselves, so the gateway adds nothing they would have to trust.
 */
export function relayedDirectoryRoute(registryUrl: () => string, timeoutMs: number): Route {
  return async (_req, res) => {
    try {
      const upstream = await request(new URL(REGISTRY_PATH, registryUrl()).toString(), {
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const body = await upstream.body.text();
      if (upstream.statusCode !== 200) throw new Error(`HTTP ${upstream.statusCode}`);
      res.setHeader('content-type', 'application/jose');
      res.setHeader('cache-control', String(upstream.headers['cache-control'] ?? 'no-store'));
      res.end(body);
    } catch {
      res.statusCode = 502;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: 'the registry did not answer with its directory' }));
    }
  };
}
