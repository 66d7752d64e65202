// A proxy in front of a subgraph on port 0 whose behaviour tests switch: pass, stall or garbage.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export type ProxyMode = 'pass' | 'stall' | 'garbage';

export interface FaultyProxy {
  /** The proxy's URL for the target path (e.g. /credentials). */
  url(path: string): string;
  mode: ProxyMode;
  /** Requests received, whatever the mode. */
  received: number;
  close(): Promise<void>;
}

export async function startFaultyProxy(targetOrigin: string): Promise<FaultyProxy> {
  const stalled: ServerResponse[] = [];
  const state = { mode: 'pass' as ProxyMode, received: 0 };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    state.received++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (state.mode === 'stall') {
      stalled.push(res);
      return;
    }
    if (state.mode === 'garbage') {
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>502 Bad Gateway at http://10.0.0.7:8080/internal</body></html>');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && k !== 'host') headers[k] = v;
    const upstream = await request(`${targetOrigin}${req.url}`, {
      method: 'POST',
      headers,
      body: Buffer.concat(chunks),
    });
    res.statusCode = upstream.statusCode;
    res.setHeader('content-type', 'application/json');
    res.end(await upstream.body.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path) => `${origin}${path}`,
    get mode() {
      return state.mode;
    },
    set mode(m: ProxyMode) {
      state.mode = m;
    },
    get received() {
      return state.received;
    },
    async close() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
