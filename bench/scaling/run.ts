// The scaling benchmark: regions of 1, 5, 20 and 100 municipalities, each a process of its own with
// its own database and audit log. For each: the region-wide list (pruning off) under load, gateway
// CPU per request and RSS, query planning time, gateway start-up, and a membership change.
import { freemem } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startHostRegion } from '../../scripts/hosts/host-region';
import { loopbackPlacement } from '../../scripts/hosts/placement';
import { runLoad } from '../lib/load';
import { readProcess } from '../lib/proc';
import { measurePlanning, membershipChange } from './probes';

export interface ScalingPoint {
  members: number;
  ran: boolean;
  /** Why it did not run, with the figures that stopped it. */
  note?: string;
  p50?: number;
  p99?: number;
  rps?: number;
  gatewayCpuMsPerRequest?: number;
  gatewayRssMb?: number;
  memberRssMb?: number;
  planningMs?: number;
  startupWallMs?: number;
  startupCpuMs?: number;
  membershipChangeCpuMs?: number;
  membershipChangeWallMs?: number;
}

/** The list answers with every member's records and no error, or the figures would measure errors. */
async function expectCompleteAnswer(url: string, headers: Record<string, string>, members: number) {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: REGION_WIDE }),
  });
  const body = (await res.body.json()) as {
    data?: { credentials?: { totalCount: number } };
    errors?: unknown[];
  };
  if (body.errors || !body.data?.credentials?.totalCount) {
    throw new Error(
      `the region-wide list of ${members} members did not answer completely: ${JSON.stringify(body).slice(0, 400)}`,
    );
  }
}

export const REGION_WIDE = '{ credentials(first: 20) { totalCount edges { node { id status } } } }';

export async function runScaling(
  sizes: readonly number[],
  plan: { seconds: number; connections: number; scratchDir: string; log: (line: string) => void },
): Promise<ScalingPoint[]> {
  const points: ScalingPoint[] = [];
  let memberRssBytes = 0;
  for (const members of sizes) {
    const needed = memberRssBytes * members * 1.25;
    if (memberRssBytes > 0 && needed > freemem()) {
      const gb = (b: number) => (b / 2 ** 30).toFixed(1);
      points.push({
        members,
        ran: false,
        note: `needs about ${gb(needed)} GiB (${(memberRssBytes / 2 ** 20).toFixed(0)} MB per member process measured at the previous size) and the machine had ${gb(freemem())} GiB free`,
      });
      plan.log(`scaling: ${members} members skipped: ${points.at(-1)?.note}`);
      continue;
    }
    plan.log(`scaling: starting ${members} members`);
    const dataDir = join(plan.scratchDir, `scaling-${members}`);
    const region = await startHostRegion({
      placement: loopbackPlacement(),
      members,
      replicas: 1,
      dataDir,
      faults: false,
      perMember: 10,
      startBatch: 3,
      gatewayEnv: { MEMBERSHIP_REFRESH_MS: '2000', SHARD_TIMEOUT_MS: '20000' },
    });
    try {
      const gateway = region.gateways[0];
      const pid = gateway?.pid;
      if (!gateway || !pid) throw new Error('the gateway is not running');
      const startupCpuMs = readProcess(pid).cpuMs;
      const token = await region.token({ subject: 'bench-analyst', role: 'analyst' });
      const headers = { authorization: `Bearer ${token}` };
      const url = region.gatewayUrl(0);
      await expectCompleteAnswer(url, headers, members);
      const planningMs = await measurePlanning(url, headers, members);
      await runLoad(
        {
          url,
          body: JSON.stringify({ query: REGION_WIDE }),
          connections: plan.connections,
          seconds: 2,
          headers,
        },
        plan.scratchDir,
      );
      const before = readProcess(pid).cpuMs;
      const load = await runLoad(
        {
          url,
          body: JSON.stringify({ query: REGION_WIDE }),
          connections: plan.connections,
          seconds: plan.seconds,
          headers,
        },
        plan.scratchDir,
      );
      const cpuMs = readProcess(pid).cpuMs - before;
      const rss = readProcess(pid).rssBytes;
      const memberRss = region.members.map((m) => (m.server.pid ? readProcess(m.server.pid).rssBytes : 0));
      memberRssBytes = memberRss.reduce((a, b) => a + b, 0) / Math.max(1, memberRss.length);
      const change = await membershipChange(region, pid);
      points.push({
        members,
        ran: true,
        p50: load.p50,
        p99: load.p99,
        rps: load.rps,
        gatewayCpuMsPerRequest: load.requests > 0 ? cpuMs / load.requests : undefined,
        gatewayRssMb: rss / 2 ** 20,
        memberRssMb: memberRssBytes / 2 ** 20,
        planningMs,
        startupWallMs: gateway.readyAt - gateway.startedAt,
        startupCpuMs,
        membershipChangeCpuMs: change.cpuMs,
        membershipChangeWallMs: change.wallMs,
      });
      plan.log(`scaling: ${members} members: ${JSON.stringify(points.at(-1))}`);
    } finally {
      await region.close();
    }
  }
  return points;
}
