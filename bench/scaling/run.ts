// The scaling benchmark: regions of 1, 5, 20 and 100 municipalities, each a process of its own with
// its own database and audit log. For each: the region-wide list (pruning off) under load, gateway
// CPU per request and RSS, query planning time, gateway start-up, and a membership change.
import { freemem } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startHostRegion } from '../../scripts/hosts/host-region';
import { loopbackPlacement } from '../../scripts/hosts/placement';
import { poolSizeFor, type ServerDatabases, serverDatabases } from '../../scripts/hosts/server-databases';
import { hostsShape } from '../../scripts/hosts/shape';
import { runLoad } from '../lib/load';
import { readProcess } from '../lib/proc';
import { measurePlanning, membershipChange } from './probes';

export interface ScalingPoint {
  members: number;
  ran: boolean;
  /** Where the members keep their records and audit logs. */
  engine?: string;
  /** Why it did not run, with the figures that stopped it. */
  note?: string;
  p50?: number;
  p99?: number;
  rps?: number;
  /** The load window, seconds (longer for larger regions). */
  loadSeconds?: number;
  gatewayCpuMsPerRequest?: number;
  gatewayRssMb?: number;
  memberRssMb?: number;
  planningMs?: number;
  startupWallMs?: number;
  startupCpuMs?: number;
  membershipChangeCpuMs?: number;
  membershipChangeWallMs?: number;
}

/**
 * Waits until the gateway's /health lists every member admitted and healthy. With many members
 * starting on a loaded machine, a first contract check can be refused (a registry read timing out)
 * and is tried again on the next membership refresh; the bound is generous, never a fixed wait.
 */
async function allMembersAdmitted(healthUrl: string, members: number, boundMs = 15 * 60_000) {
  const until = Date.now() + boundMs;
  let last = '';
  while (Date.now() < until) {
    try {
      const res = await request(healthUrl);
      const health = (await res.body.json()) as { members?: { healthy: boolean; reason?: string }[] };
      const healthy = health.members?.filter((m) => m.healthy).length ?? 0;
      if (healthy >= members) return;
      last = `${healthy} of ${members} healthy; ${health.members?.find((m) => !m.healthy)?.reason ?? ''}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the gateway did not admit all ${members} members within ${boundMs / 60_000} min: ${last}`);
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

/**
 * A 1 MB young generation per member process (V8's default is 16 MB per semi-space): measured at
 * 150 against 180 MB resident per member, which is what lets 100 of them share this machine.
 */
const MEMBER_NODE_ARGS = ['--max-semi-space-size=1'];

/**
 * The members' own timers, which cost nothing on hosts of their own but on two cores add up over 100
 * processes (measured: about 1.4 % of a core each while idle): the alert outbox read once a minute
 * (a write still wakes it), policy files read at start only, no audit checkpoints. The load is reads.
 */
const IDLE_MEMBER = { ALERT_POLL_MS: '60000', POLICY_POLL_MS: '0', AUDIT_CHECKPOINT_MS: '0' };

/**
 * Members run at niceness 19: on hosts of their own they would not take CPU from the registry and
 * the gateway, which every member call goes through. At niceness 0, 100 members left the registry
 * about a tenth of a core, its directory answers took 20–30 s and the gateway refused every member;
 * at 10 (weight 110 against 1024), 100 of them still outweighed it ten to one.
 */
const MEMBER_NICE = 19;

/** Holders and placements seeded per member. */
const PER_MEMBER = 10;

export const REGION_WIDE = '{ credentials(first: 20) { totalCount edges { node { id status } } } }';

export async function runScaling(
  sizes: readonly number[],
  plan: {
    seconds: number;
    connections: number;
    scratchDir: string;
    log: (line: string) => void;
    /** A PostgreSQL server for the members' databases; without one, each member embeds PGlite. */
    serverUrl?: string;
  },
): Promise<ScalingPoint[]> {
  const points: ScalingPoint[] = [];
  let memberRssBytes = 0;
  const poolSize = plan.serverUrl ? await poolSizeFor(plan.serverUrl, Math.max(...sizes)) : 0;
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
    let databases: ServerDatabases | undefined;
    if (plan.serverUrl) {
      const codes = hostsShape(members, PER_MEMBER).municipalities.map((m) => m.code);
      // The benchmark measures the gateway: its members' databases commit without waiting for the disk.
      const made = await serverDatabases(plan.serverUrl, codes, poolSize, {
        prefix: 'crossgate_scaling',
        asyncCommit: true,
      });
      if ('refused' in made) {
        points.push({ members, ran: false, note: made.refused });
        plan.log(`scaling: ${members} members skipped: ${made.refused}`);
        continue;
      }
      databases = made;
    }
    const engine = databases
      ? `PostgreSQL server, one database per member, pools of ${databases.poolSize}`
      : 'embedded PGlite per member';
    plan.log(`scaling: starting ${members} members (${engine})`);
    const dataDir = join(plan.scratchDir, `scaling-${members}`);
    const region = await startHostRegion({
      placement: loopbackPlacement(),
      members,
      replicas: 1,
      dataDir,
      faults: false,
      perMember: PER_MEMBER,
      startBatch: 3,
      gatewayEnv: { MEMBERSHIP_REFRESH_MS: '2000', SHARD_TIMEOUT_MS: '20000' },
      memberDatabase: databases?.urlOf,
      memberEnv: { ...IDLE_MEMBER, ...(databases ? { DATABASE_POOL_SIZE: String(databases.poolSize) } : {}) },
      memberNodeArgs: MEMBER_NODE_ARGS,
      memberNice: MEMBER_NICE,
    }).catch(async (e) => {
      await databases?.drop();
      throw e;
    });
    try {
      const gateway = region.gateways[0];
      const pid = gateway?.pid;
      if (!gateway || !pid) throw new Error('the gateway is not running');
      const startupCpuMs = readProcess(pid).cpuMs;
      const token = await region.token({ subject: 'bench-analyst', role: 'analyst' });
      const headers = { authorization: `Bearer ${token}` };
      const url = region.gatewayUrl(0);
      await allMembersAdmitted(new URL('/health', url).toString(), members);
      await expectCompleteAnswer(url, headers, members);
      const planningMs = await measurePlanning(url, headers, members);
      // A request over 100 members on two cores takes seconds: the window grows with the members so
      // that each connection completes several, and no request is cut off as a timeout.
      const seconds = Math.max(plan.seconds, Math.ceil(members * 0.9));
      const load = (window: number) =>
        runLoad(
          {
            url,
            body: JSON.stringify({ query: REGION_WIDE }),
            connections: plan.connections,
            seconds: window,
            headers,
            timeoutSeconds: 120,
          },
          plan.scratchDir,
        );
      await load(Math.max(2, Math.ceil(seconds / 5)));
      const before = readProcess(pid).cpuMs;
      const measured = await load(seconds);
      const cpuMs = readProcess(pid).cpuMs - before;
      const rss = readProcess(pid).rssBytes;
      const memberRss = region.members.map((m) => (m.server.pid ? readProcess(m.server.pid).rssBytes : 0));
      memberRssBytes = memberRss.reduce((a, b) => a + b, 0) / Math.max(1, memberRss.length);
      const change = await membershipChange(region, pid);
      points.push({
        members,
        ran: true,
        engine,
        p50: measured.requests > 0 ? measured.p50 : undefined,
        p99: measured.requests > 0 ? measured.p99 : undefined,
        rps: measured.rps,
        loadSeconds: seconds,
        gatewayCpuMsPerRequest: measured.requests > 0 ? cpuMs / measured.requests : undefined,
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
      await databases?.drop();
    }
  }
  return points;
}
