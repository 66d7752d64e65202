// Sequential probe of a gateway: client latency against the subgraph time it reports in Server-Timing.
// The client is undici's request (what the load tool's family uses), not fetch: fetch's own
// per-request work on the client would be counted in the latency and read as the gateway's share.
import { request } from 'undici';
import { median } from '../lib/rounds';

export interface Share {
  /** Median client-side latency, ms. */
  p50Ms: number;
  /** Median subgraph time on the plan's critical path, ms. */
  subgraphP50Ms: number;
  /** Median over requests of 1 − subgraph time / latency. */
  gatewayShare: number;
  fetchesPerRequest: number;
}

export async function probeShare(
  url: string,
  body: string,
  requests: number,
  headers: Record<string, string> = {},
): Promise<Share> {
  const latencies: number[] = [];
  const subgraph: number[] = [];
  const shares: number[] = [];
  let fetches = 0;
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    await res.body.text();
    const total = performance.now() - started;
    const timing = String(res.headers['server-timing'] ?? '');
    const busy = Number(/subgraphs;dur=([\d.]+)/.exec(timing)?.[1] ?? Number.NaN);
    fetches += Number(/desc=(\d+)/.exec(timing)?.[1] ?? 0);
    latencies.push(total);
    subgraph.push(busy);
    shares.push(1 - busy / total);
  }
  return {
    p50Ms: median(latencies),
    subgraphP50Ms: median(subgraph),
    gatewayShare: median(shares),
    fetchesPerRequest: fetches / requests,
  };
}
