// The officer's print page: a credential fetched as a signed document, saved as a file, and drawn as a
// QR code (SVG made by the `qrcode` package on the gateway; nothing from a CDN).
import { join } from 'node:path';
import QRCode from 'qrcode';
import { type Route, sendJson } from '../../../common/http';
import { CODES } from '../../../schema/errors';
import { type PageAssets, pageAssetRoutes } from '../page-assets';

const ASSETS: PageAssets = {
  '/print': { file: 'index.html', type: 'text/html' },
  '/print/print.js': { file: 'print.js', type: 'text/javascript' },
  '/print/print.css': { file: 'print.css', type: 'text/css' },
};

/**
 * The most a QR code holds in byte mode at error correction L (version 40): 2,953 bytes
 * (ISO/IEC 18004 table 7). A longer text gets a clear refusal rather than an unreadable code.
 */
export const QR_MAX_BYTES = 2953;

/** The QR code of a text as SVG, at error correction L so that a whole credential document fits. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 });
}

export function printPageRoutes(): Record<string, Route> {
  const routes = pageAssetRoutes(join(__dirname, 'assets'), ASSETS);
  /** POST the text (a credential document), get its QR code as SVG. */
  routes['/print/qr.svg'] = async (req, res, body) => {
    const text = body.trim();
    const bytes = Buffer.byteLength(text);
    if (req.method !== 'POST' || bytes === 0 || bytes > QR_MAX_BYTES) {
      return sendJson(res, 400, {
        errors: [
          {
            message: `POST the text to encode, 1 to ${QR_MAX_BYTES} bytes; received ${req.method} with ${bytes} bytes`,
            extensions: { code: CODES.BAD_REQUEST },
          },
        ],
      });
    }
    res.setHeader('content-type', 'image/svg+xml; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.end(await qrSvg(text));
  };
  return routes;
}
