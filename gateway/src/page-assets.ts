// Serves a bundled page's files (HTML, script, style) from its assets folder, read once on first use,
// and the stylesheet and script module the pages share (shared-assets/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Route } from '../../common/http';

export type PageAssets = Record<string, { file: string; type: string }>;

/** One route per path, each answering its file from `folder` with its content type. */
export function pageAssetRoutes(folder: string, assets: PageAssets): Record<string, Route> {
  const routes: Record<string, Route> = {};
  for (const [path, asset] of Object.entries(assets)) {
    let body: Buffer | undefined;
    routes[path] = (_req, res) => {
      body ??= readFileSync(join(folder, asset.file));
      res.setHeader('content-type', `${asset.type}; charset=utf-8`);
      res.setHeader('cache-control', 'no-cache');
      res.end(body);
    };
  }
  return routes;
}

const SHARED: PageAssets = {
  '/shared/form-page.css': { file: 'form-page.css', type: 'text/css' },
  '/shared/page.js': { file: 'page.js', type: 'text/javascript' },
};

/** The files every page may load: the form pages' stylesheet and the script module of GraphQL calls. */
export function sharedPageRoutes(): Record<string, Route> {
  return pageAssetRoutes(join(__dirname, 'shared-assets'), SHARED);
}
