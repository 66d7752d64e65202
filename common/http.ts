// Serves Apollo Server instances on a plain node:http server, one path each, with health, metrics,
// a server span per request and a drain that lets requests in flight finish.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import { CODES } from '../schema/errors';
import { healthRoutes, type Readiness } from './lifecycle';
import { type ProcessKind, type ProcessMetrics, routeLabel } from './metrics';
import { inServerSpan } from './tracing';

export const MAX_BODY_BYTES = 1_000_000;

export type Route = (req: IncomingMessage, res: ServerResponse, body: string) => Promise<void> | void;

export class BodyTooLargeError extends Error {}

/** How much of an oversized body is read and thrown away so that its sender sees the 413. */
const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number(req.headers['content-length'] ?? 0) > limit;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) tooLarge = true;
    // Past the limit the body is still read, and discarded, so that the client gets its 413
    // rather than a connection reset while it is still sending; only a huge body is cut off.
    if (tooLarge) {
      if (size > DISCARD_LIMIT_BYTES) break;
      continue;
    }
    chunks.push(chunk as Buffer);
  }
  if (tooLarge) throw new BodyTooLargeError(`Request body exceeds ${limit} bytes`);
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
  /** Stops at once: every connection is closed, requests in flight included. */
  close(): Promise<void>;
  /**
   * Stops taking requests (the listener closes, /readyz answers 503, kept-alive connections are
   * closed after their current answer) and waits up to `graceMs` for the requests in flight;
   * resolves with how many were still running when the grace period ran out.
   */
  drain(graceMs: number): Promise<{ unfinished: number }>;
}

export interface ServeOptions {
  port: number;
  host?: string;
  onError?: (e: unknown) => void;
  maxBodyBytes?: number;
  /** What /readyz checks besides draining; without it the process is ready once it listens. */
  readiness?: Readiness;
  /** The process's metrics: served on /metrics and fed with every request's route and status. */
  metrics?: ProcessMetrics;
  /** Which kind of process serves (an attribute of its server spans). */
  kind?: ProcessKind;
  /** Routes paths that no exact route serves (e.g. one per member); null leaves them 404. */
  pathRoute?: (path: string) => Route | null;
}

/** Starts an HTTP server routing by exact path (then `pathRoute`); 404 elsewhere. Serves /livez, /readyz, /metrics. */
export async function serveRoutes(
  routes: Record<string, Route>,
  options: ServeOptions,
): Promise<RunningServer> {
  /** Responses not yet finished; told to close their connection when a drain begins. */
  const active = new Set<ServerResponse>();
  let draining = false;
  let settled: (() => void) | undefined;
  const all: Record<string, Route> = {
    ...healthRoutes(options.readiness, () => draining),
    ...(options.metrics ? { '/metrics': options.metrics.route } : {}),
    ...routes,
  };
  const handle = async (req: IncomingMessage, res: ServerResponse, path: string, route: Route) => {
    try {
      const body = req.method === 'POST' ? await readBody(req, options.maxBodyBytes) : '';
      await route(req, res, body);
    } catch (e) {
      if (e instanceof BodyTooLargeError) {
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
    } finally {
      options.metrics?.observeHttp(routeLabel(path, routes), res.statusCode);
    }
  };
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = all[path] ?? options.pathRoute?.(path) ?? undefined;
    if (!route) return sendJson(res, 404, { error: `No route ${path}` });
    active.add(res);
    if (draining) res.setHeader('connection', 'close');
    try {
      await inServerSpan(req, res, path, options.kind, () => handle(req, res, path, route));
    } finally {
      active.delete(res);
      if (active.size === 0) settled?.();
    }
  });
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  return {
    server,
    url: `http://${host}:${port}`,
    close: () => {
      if (server.listening) server.close();
      server.closeAllConnections();
      return closed;
    },
    async drain(graceMs) {
      draining = true;
      if (server.listening) server.close();
      server.closeIdleConnections();
      for (const res of active) if (!res.headersSent) res.setHeader('connection', 'close');
      if (active.size > 0) {
        const idle = new Promise<void>((resolve) => {
          settled = resolve;
        });
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        });
        await Promise.race([idle, late]);
        clearTimeout(timer);
      }
      const unfinished = active.size;
      server.closeAllConnections();
      await closed;
      return { unfinished };
    },
  };
}
