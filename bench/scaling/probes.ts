// Two gateway-side probes of the scaling benchmark: query planning time (a new query text against
// the same text planned already) and the gateway CPU a membership change costs.
import { request } from 'undici';
import type { HostRegion } from '../../scripts/hosts/host-region';
import { readProcess } from '../lib/proc';

async function timed(url: string, headers: Record<string, string>, query: string): Promise<number> {
  const started = performance.now();
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  await res.body.text();
  return performance.now() - started;
}

/**
 * Median over `rounds` new query texts (an alias makes each text new, so the gateway plans it) of
 * the first answer's time minus the second's (planned already). The query names one id, so its
 * execution calls one member whatever the region's size: what remains is planning.
 */
export async function measurePlanning(
  url: string,
  headers: Record<string, string>,
  members: number,
  rounds = 15,
) {
  const gaps: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const query = `{ credential(id: "NB:C-000001") { id } probe_${members}_${i}_${Date.now()}: __typename }`;
    const first = await timed(url, headers, query);
    const second = await timed(url, headers, query);
    gaps.push(first - second);
  }
  gaps.sort((a, b) => a - b);
  return Math.max(0, gaps[Math.floor(gaps.length / 2)] ?? 0);
}

/**
 * The registry publishes a new address for one member (restarted with its endpoints changed); the
 * gateway's CPU is read over the three refresh intervals that follow, which hold the change (the
 * new member's contract check included) and two ordinary refreshes.
 */
export async function membershipChange(region: HostRegion, gatewayPid: number, refreshMs = 2000) {
  const registry = region.registry;
  const endpoints = JSON.parse(registry.spec.env.MEMBER_ENDPOINTS ?? '[]') as {
    code: string;
    credentialsUrl: string;
    workforceUrl: string;
  }[];
  const moved = endpoints.at(-1);
  if (moved) {
    moved.credentialsUrl = moved.credentialsUrl.replace('127.0.0.1', 'localhost');
    moved.workforceUrl = moved.workforceUrl.replace('127.0.0.1', 'localhost');
  }
  registry.spec.env.MEMBER_ENDPOINTS = JSON.stringify(endpoints);
  await registry.stop('SIGTERM');
  registry.start();
  await registry.ready();
  const before = readProcess(gatewayPid).cpuMs;
  const started = Date.now();
  await new Promise((r) => setTimeout(r, 3 * refreshMs));
  return { cpuMs: readProcess(gatewayPid).cpuMs - before, wallMs: Date.now() - started };
}
