// The employer's verify page: its HTML, script and style, served from the gateway (nothing from a CDN).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Route } from '../../../common/http';

const ASSETS: Record<string, { file: string; type: string }> = {
  '/verify': { file: 'index.html', type: 'text/html' },
  '/verify/verify.js': { file: 'verify.js', type: 'text/javascript' },
  '/verify/verify.css': { file: 'verify.css', type: 'text/css' },
};

export function verifyPageRoutes(): Record<string, Route> {
  const routes: Record<string, Route> = {};
  for (const [path, asset] of Object.entries(ASSETS)) {
    let body: Buffer | undefined;
    routes[path] = (_req, res) => {
      body ??= readFileSync(join(__dirname, 'assets', asset.file));
      res.setHeader('content-type', `${asset.type}; charset=utf-8`);
      res.setHeader('cache-control', 'no-cache');
      res.end(body);
    };
  }
  return routes;
}
