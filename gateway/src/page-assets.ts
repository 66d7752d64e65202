// Serves a bundled page's files (HTML, script, style) from its assets folder or from an installed
// package, each read once on first use, and the stylesheet and script module the pages share.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Route } from '../../common/http';

/** A file of the page's own assets folder, or (`module`) a file of an installed package. */
export type PageAsset = { file: string; type: string } | { module: string; type: string };

export type PageAssets = Record<string, PageAsset>;

const fromPackage = (asset: PageAsset): asset is { module: string; type: string } => 'module' in asset;

/**
 * The path of a file inside an installed package. Packages with an `exports` map (React 18, say)
 * refuse `require.resolve` of their other files, so the package's folder is found from its entry point.
 */
export function packageFile(module: string): string {
  const parts = module.split('/');
  const name = parts.slice(0, module.startsWith('@') ? 2 : 1).join('/');
  const rest = parts.slice(name.split('/').length).join('/');
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name
    )
      return join(dir, rest);
  }
  throw new Error(`package ${name} has no folder of its own`);
}

/** One route per path, each answering its file (from `folder` or its package) with its content type. */
export function pageAssetRoutes(folder: string, assets: PageAssets): Record<string, Route> {
  const routes: Record<string, Route> = {};
  for (const [path, asset] of Object.entries(assets)) {
    let body: Buffer | undefined;
    routes[path] = (_req, res) => {
      body ??= readFileSync(fromPackage(asset) ? packageFile(asset.module) : join(folder, asset.file));
      res.setHeader('content-type', `${asset.type}; charset=utf-8`);
      // A package's file changes only with the package: browsers keep it a day; the page's own are asked again.
      res.setHeader('cache-control', fromPackage(asset) ? 'public, max-age=86400' : 'no-cache');
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
