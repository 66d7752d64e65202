// The domain workloads: verification, flows and a 100-credential list on PGlite municipalities, and a
// region-wide list at 1, 5 and 20 municipalities of equal speed; gateway and region in separate processes.
import { join } from 'node:path';
import { freePort, type Started, startProcess, tsEntry } from '../lib/processes';
import { alternate, type RoundPlan, type Summary } from '../lib/rounds';
import { profileFlags } from '../standard/systems';
import { probeShare, type Share } from './probe';
import {
  FLOWS_QUERY,
  HUNDRED_SUBGRAPH_ALONE,
  HUNDRED_VIA_GATEWAY,
  REGION_LIST_QUERY,
  verificationQuery,
} from './queries';

const SERVE = join(__dirname, '..', 'serve');
const body = (query: string) => JSON.stringify({ query });

export interface DomainRow {
  workload: string;
  summary: Summary;
  statementsPerRequest: number | null;
  share: Share | null;
}

export interface ScalingRow {
  municipalities: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
}

export interface DomainOutcome {
  rows: DomainRow[];
  hundred: { gateway: Summary; gatewayNoDedupe: Summary; subgraph: Summary; database: string };
  scaling: ScalingRow[];
  delayMs: number;
}

/** A region process (bench/serve/domain-region.ts) and what it announced. */
export interface Region {
  proc: Started;
  info: {
    registryUrl: string;
    credentialsUrl: string | null;
    statsUrl: string;
    credentialId: string;
    credentialCode: string;
    verifyIn: string;
    jwks: unknown;
    /** The region's gateway key folder: a second gateway process signs as the same member. */
    gatewayKeyDir: string;
    /** The registry's public JWKS: the gateway checks the municipalities' signed answers against its directory. */
    registryKeys: unknown;
    token: string;
    /** With PRESENTATION=1: a holder's presentation and the code-based verification of the same credential. */
    presented: {
      presentation: string;
      credentialId: string;
      credentialCode: string;
      verifyIn: string;
    } | null;
  };
}

/** Starts a region process with `env` (see bench/serve/domain-region.ts) and waits for its announcement. */
export async function startRegionProcess(env: Record<string, string>): Promise<Region> {
  const proc = await startProcess({
    name: `region ${JSON.stringify(env)}`,
    ...tsEntry(join(SERVE, 'domain-region.ts')),
    env,
    announces: true,
    timeoutMs: 180_000,
  });
  return { proc, info: proc.announcement as unknown as Region['info'] };
}

/** Starts Crossgate's regional gateway over `region` as a process of its own. */
export async function startGatewayProcess(
  region: Region,
  dedupe = true,
  profileDir?: string,
): Promise<{ proc: Started; url: string }> {
  const port = await freePort();
  const proc = await startProcess({
    name: 'crossgate regional gateway',
    ...tsEntry(join(SERVE, 'crossgate-region.ts'), profileFlags(profileDir)),
    env: {
      PORT: String(port),
      REGISTRY_URL: region.info.registryUrl,
      JWKS: JSON.stringify(region.info.jwks),
      KEY_DIR: region.info.gatewayKeyDir,
      REGISTRY_KEYS: JSON.stringify(region.info.registryKeys),
      DEDUPE: dedupe ? '1' : '0',
    },
    announces: true,
  });
  return { proc, url: `http://127.0.0.1:${port}/graphql` };
}

export const auth = (region: Region) => ({ authorization: `Bearer ${region.info.token}` });
const statements = async (statsUrl: string) => Number(await (await fetch(statsUrl)).text());

export async function runDomain(
  plan: Omit<RoundPlan, 'countCalls'> & { profileDir?: string },
  options: {
    delayMs: number;
    probeRequests: number;
    scale: readonly number[];
    /** PostgreSQL server for the 100-credential municipality; PGlite when absent. */
    databaseUrl?: string;
  },
): Promise<DomainOutcome> {
  const started: Started[] = [];
  try {
    // 1. Three PGlite municipalities: verification, a region-wide list and flows, SQL counted.
    const region = await startRegionProcess({ MUNICIPALITIES: '3', STORE: 'native' });
    started.push(region.proc);
    // Profiled, it serves the three workloads below in turn: one profile covers them all.
    const gw = await startGatewayProcess(
      region,
      true,
      plan.profileDir ? join(plan.profileDir, 'crossgate-regional') : undefined,
    );
    started.push(gw.proc);
    const rows: DomainRow[] = [];
    for (const [workload, query] of [
      [
        'employer verification (one municipality + registry)',
        verificationQuery(region.info.credentialId, region.info.credentialCode, region.info.verifyIn),
      ],
      ['region-wide list, 3 municipalities', REGION_LIST_QUERY],
      ['workforce-flows aggregate by year, 3 municipalities', FLOWS_QUERY],
    ] as const) {
      plan.log(`domain workload: ${workload}`);
      const [summary] = await alternate(
        [
          {
            id: 'crossgate',
            label: 'Crossgate',
            url: gw.url,
            pid: gw.proc.pid,
            body: body(query),
            headers: auth(region),
          },
        ],
        plan,
      );
      // counted over sequential requests: under load, identical concurrent reads are shared
      const before = await statements(region.info.statsUrl);
      const share = await probeShare(gw.url, body(query), options.probeRequests, auth(region));
      const after = await statements(region.info.statsUrl);
      if (!summary) throw new Error('no summary');
      rows.push({ workload, summary, statementsPerRequest: (after - before) / options.probeRequests, share });
    }
    await gw.proc.stop();
    await region.proc.stop();

    // 2. One PGlite municipality: 100 credentials through the gateway against the subgraph alone.
    plan.log('domain workload: 100 credentials, gateway vs subgraph alone');
    const one = await startRegionProcess({
      MUNICIPALITIES: '1',
      STORE: 'native',
      HOLDERS: '400',
      SUBGRAPH_ALONE: '1',
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    });
    started.push(one.proc);
    const gw1 = await startGatewayProcess(one);
    started.push(gw1.proc);
    const gw0 = await startGatewayProcess(one, false);
    started.push(gw0.proc);
    const [gateway, gatewayNoDedupe, subgraph] = await alternate(
      [
        {
          id: 'gateway',
          label: 'Crossgate',
          url: gw1.url,
          pid: gw1.proc.pid,
          body: body(HUNDRED_VIA_GATEWAY),
          headers: auth(one),
        },
        {
          id: 'gateway-no-dedup',
          label: 'Crossgate, no dedup',
          url: gw0.url,
          pid: gw0.proc.pid,
          body: body(HUNDRED_VIA_GATEWAY),
          headers: auth(one),
        },
        {
          id: 'subgraph',
          label: 'municipal subgraph alone',
          url: one.info.credentialsUrl ?? '',
          pid: one.proc.pid,
          body: body(HUNDRED_SUBGRAPH_ALONE),
        },
      ],
      plan,
    );
    if (!gateway || !gatewayNoDedupe || !subgraph) throw new Error('no summary');
    await gw0.proc.stop();
    await gw1.proc.stop();
    await one.proc.stop();

    // 3. 1, 5 and 20 municipalities of equal speed (in-memory, fixed delay per store call).
    const scaling: ScalingRow[] = [];
    const targets = [];
    for (const n of options.scale) {
      const r = await startRegionProcess({
        MUNICIPALITIES: String(n),
        STORE: 'memory',
        DELAY_MS: String(options.delayMs),
        HOLDERS: '100',
      });
      started.push(r.proc);
      const g = await startGatewayProcess(r);
      started.push(g.proc);
      targets.push({
        id: `n${n}`,
        label: `${n}`,
        url: g.url,
        pid: g.proc.pid,
        body: body(REGION_LIST_QUERY),
        headers: auth(r),
      });
    }
    plan.log(`region-wide list at ${options.scale.join(', ')} municipalities`);
    // one connection: latency without queueing, which is what the fan-out's parallelism decides
    const summaries = await alternate(targets, { ...plan, connections: 1 });
    for (const [i, n] of options.scale.entries()) {
      const s = summaries[i];
      if (s)
        scaling.push({ municipalities: n, p50Ms: s.p50, p99Ms: s.p99, cpuMsPerRequest: s.cpuMsPerRequest });
    }
    const database = options.databaseUrl ? 'PostgreSQL' : 'PGlite';
    return {
      rows,
      hundred: { gateway, gatewayNoDedupe, subgraph, database },
      scaling,
      delayMs: options.delayMs,
    };
  } finally {
    for (const p of started.reverse()) await p.stop();
  }
}
