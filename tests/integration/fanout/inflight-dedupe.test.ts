// The pooled HTTP client shares identical reads in flight, and nothing else.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createSubgraphHttpClient,
  type SubgraphHttpClient,
} from '../../../gateway/src/datasources/http-client';

let server: Server;
let url: string;
let calls = 0;
let http: SubgraphHttpClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    calls++;
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { caller: req.headers['x-caller'] ?? null, n: calls } }));
      }, 40);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  http = createSubgraphHttpClient({ dedupe: true });
});

afterAll(async () => {
  await http.close();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  calls = 0;
});

const body = JSON.stringify({ query: '{ n }' });
const post = (headers: Record<string, string>, idempotent = true) =>
  http.post(url, body, headers, 2000, { idempotent });

describe('in-flight deduplication', () => {
  it('sends identical concurrent reads once, ignoring the request id, and gives each caller its own copy', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, i) => post({ 'x-caller': 'a', 'x-request-id': `r${i}` })),
    );
    expect(calls).toBe(1);
    const payloads = outcomes.map((o) => (o.ok ? o.payload : null));
    expect(payloads.every((p) => JSON.stringify(p) === JSON.stringify(payloads[0]))).toBe(true);
    expect(payloads[0]).not.toBe(payloads[1]);
  });

  it('never shares a read between different callers', async () => {
    const [a, b] = await Promise.all([post({ 'x-caller': 'a' }), post({ 'x-caller': 'b' })]);
    expect(calls).toBe(2);
    expect(a.ok && a.payload.data?.caller).toBe('a');
    expect(b.ok && b.payload.data?.caller).toBe('b');
  });

  it('sends every call that is not marked idempotent (mutations)', async () => {
    await Promise.all(Array.from({ length: 3 }, () => post({ 'x-caller': 'a' }, false)));
    expect(calls).toBe(3);
  });

  it('sends again once the shared call has finished', async () => {
    await post({ 'x-caller': 'a' });
    await post({ 'x-caller': 'a' });
    expect(calls).toBe(2);
  });
});
