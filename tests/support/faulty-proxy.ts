// A proxy in front of a subgraph on port 0 whose behaviour tests switch: pass, stall, garbage,
// swallow (forward the request, then withhold the answer, as a link that drops on the way back),
// tamper (alter the answer's data and its digest, keep the owner's signature), resign (sign the
// answer again with another member's key, bound to the same call), or unsigned (drop its signature).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { MemberKey } from '../../common/member-keys';
import { contentDigest, signAnswer } from '../../common/message-signatures';
import { setMemberEndpoints } from '../../subgraphs/registry/seed';
import type { InProcessRegion } from './in-process';

export type ProxyMode = 'pass' | 'stall' | 'garbage' | 'swallow' | 'tamper' | 'resign' | 'unsigned';

/** Headers of a connection, not of the answer: a proxy does not pass them on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

/** The answer with its first string in `data` altered (a status, a name): what an attacker on the way would change. */
export function alteredAnswer(text: string): string {
  const answer = JSON.parse(text) as { data?: unknown };
  let done = false;
  const alter = (value: unknown): unknown => {
    if (done) return value;
    if (typeof value === 'string') {
      done = true;
      return `${value} (altered)`;
    }
    if (Array.isArray(value)) return value.map(alter);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, k === '__typename' ? v : alter(v)]),
      );
    }
    return value;
  };
  answer.data = alter(answer.data);
  return JSON.stringify(done ? answer : { ...answer, extensions: { altered: true } });
}

export interface FaultyProxy {
  /** The proxy's URL for the target path (e.g. /credentials). */
  url(path: string): string;
  mode: ProxyMode;
  /** Modes for the next requests, one each, before `mode` applies again. */
  once(...modes: ProxyMode[]): void;
  /** Requests received, whatever the mode. */
  received: number;
  /** Requests held by 'stall' right now. */
  readonly stalled: number;
  /** The key 'resign' signs answers with (another member's). */
  foreignKey?: MemberKey;
  /** Forwards every stalled request now and answers it. */
  release(): Promise<void>;
  close(): Promise<void>;
}

interface Held {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  res: ServerResponse;
}

export async function startFaultyProxy(targetOrigin: string): Promise<FaultyProxy> {
  const stalled: Held[] = [];
  const swallowed: ServerResponse[] = [];
  const upcoming: ProxyMode[] = [];
  const state = { mode: 'pass' as ProxyMode, received: 0 };
  const forward = async (held: Held) => {
    const upstream = await request(`${targetOrigin}${held.path}`, {
      method: 'POST',
      headers: held.headers,
      body: held.body,
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(upstream.headers)) {
      if (typeof v === 'string' && !HOP_BY_HOP.has(k)) headers[k] = v;
    }
    return { status: upstream.statusCode, headers, text: await upstream.body.text() };
  };
  const answer = async (held: Held, mode: ProxyMode = 'pass') => {
    const forwarded = await forward(held);
    const { status } = forwarded;
    let { headers, text } = forwarded;
    if (mode === 'tamper') {
      text = alteredAnswer(text);
      headers = { ...headers, 'content-digest': contentDigest(text) };
    }
    if (mode === 'unsigned') {
      const { signature: _s, 'signature-input': _i, ...rest } = headers;
      headers = rest;
    }
    if (mode === 'resign' && proxy.foreignKey && held.headers.signature) {
      const { signature: _s, 'signature-input': _i, 'content-digest': _d, ...rest } = headers;
      headers = {
        ...rest,
        ...signAnswer(proxy.foreignKey, { status, body: text }, held.headers.signature, Date.now()),
      };
    }
    held.res.statusCode = status;
    for (const [k, v] of Object.entries(headers)) held.res.setHeader(k, v);
    held.res.setHeader('content-type', 'application/json');
    held.res.end(text);
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    state.received++;
    const mode = upcoming.shift() ?? state.mode;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    // Host is kept, as a transparent proxy does: the caller's signature covers the address it called.
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const held = { path: req.url ?? '/', headers, body: Buffer.concat(chunks), res };
    if (mode === 'stall') {
      stalled.push(held);
      return;
    }
    if (mode === 'garbage') {
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>502 Bad Gateway at http://10.0.0.7:8080/internal</body></html>');
      return;
    }
    if (mode === 'swallow') {
      await forward(held);
      swallowed.push(res);
      return;
    }
    await answer(held, mode);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const proxy: FaultyProxy = {
    url: (path) => `${origin}${path}`,
    get mode() {
      return state.mode;
    },
    set mode(m: ProxyMode) {
      state.mode = m;
    },
    once: (...modes) => {
      upcoming.push(...modes);
    },
    get received() {
      return state.received;
    },
    get stalled() {
      return stalled.length;
    },
    async release() {
      const held = stalled.splice(0);
      await Promise.all(held.map((h) => (h.res.destroyed ? undefined : answer(h))));
    },
    async close() {
      for (const h of stalled) h.res.destroy();
      for (const res of swallowed) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}

/**
 * Points members at new endpoints (proxies) in the registry, then refreshes the gateway's member list
 * until every member passes its contract check again: each municipality accepts calls signed for
 * its new address once its copy of the registry's directory has been read again (its TTL).
 */
export async function repointMembers(
  region: InProcessRegion,
  endpoints: readonly { code: string; credentialsUrl: string; workforceUrl: string }[],
  boundMs = 120_000,
): Promise<void> {
  await setMemberEndpoints(region.registryHandle, endpoints);
  const deadline = Date.now() + boundMs;
  const pointed = () => {
    const state = region.gateway.membership.current;
    if (state.phase !== 'ready') return false;
    return endpoints.every((e) =>
      state.members.some(
        (m) =>
          m.code === e.code && m.credentialsUrl === e.credentialsUrl && m.workforceUrl === e.workforceUrl,
      ),
    );
  };
  for (;;) {
    // A refresh joins one already in flight, which may have read the directory before the change:
    // the gateway is re-pointed only once its member list holds the new addresses.
    await region.gateway.membership.refresh();
    const health = region.gateway.membership.health();
    if (pointed() && health.length > 0 && health.every((m) => m.healthy)) return;
    if (Date.now() > deadline)
      throw new Error(`members not healthy after re-pointing: ${JSON.stringify(health)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
