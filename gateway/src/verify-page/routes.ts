// The employer's verify page: its HTML, script and style, served from the gateway (nothing from a CDN).
import { join } from 'node:path';
import type { Route } from '../../../common/http';
import { type PageAssets, pageAssetRoutes } from '../page-assets';

const ASSETS: PageAssets = {
  '/verify': { file: 'index.html', type: 'text/html' },
  '/verify/verify.js': { file: 'verify.js', type: 'text/javascript' },
  '/verify/verify.css': { file: 'verify.css', type: 'text/css' },
};

export function verifyPageRoutes(): Record<string, Route> {
  return pageAssetRoutes(join(__dirname, 'assets'), ASSETS);
}
