// Serves Apollo Server instances on a plain node:http server, one path each.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import { CODES } from '../schema/errors';

export const MAX_BODY_BYTES = 1_000_000;

export type Route = (req: IncomingMessage, res: ServerResponse, body: string) => Promise<void> | void;

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`Request body exceeds ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A route that hands the request to Apollo Server and writes its answer. */
export function graphqlRoute<C extends BaseContext>(
  server: ApolloServer<C>,
  context: (req: IncomingMessage, body: unknown) => Promise<C>,
): Route {
  return async (req, res, raw) => {
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    let body: unknown = raw;
    if ((headers.get('content-type') ?? '').startsWith('application/json') && raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        return sendJson(res, 400, {
          errors: [{ message: 'Body is not valid JSON', extensions: { code: CODES.BAD_REQUEST } }],
        });
      }
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const answer = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () => context(req, body),
    });
    res.statusCode = answer.status ?? 200;
    for (const [k, v] of answer.headers) res.setHeader(k, v);
    if (answer.body.kind === 'complete') {
      res.end(answer.body.string);
    } else {
      for await (const chunk of answer.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };
}

export function sendJson(res: ServerResponse, status: number, value: unknown) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(value));
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Starts an HTTP server routing by exact path; 404 elsewhere. */
export async function serveRoutes(
  routes: Record<string, Route>,
  options: { port: number; host?: string; onError?: (e: unknown) => void; maxBodyBytes?: number },
): Promise<RunningServer> {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes[path];
    if (!route) return sendJson(res, 404, { error: `No route ${path}` });
    try {
      const body = req.method === 'POST' ? await readBody(req, options.maxBodyBytes) : '';
      await route(req, res, body);
    } catch (e) {
      if (e instanceof BodyTooLargeError) {
        // The rest of the body is never read: close the connection so it cannot be reused.
        res.setHeader('connection', 'close');
        return sendJson(res, 413, {
          errors: [{ message: e.message, extensions: { code: CODES.PAYLOAD_TOO_LARGE } }],
        });
      }
      options.onError?.(e);
      if (!res.headersSent)
        sendJson(res, 500, {
          errors: [{ message: 'Internal server error', extensions: { code: CODES.INTERNAL_SERVER_ERROR } }],
        });
      else res.end();
    }
  });
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
