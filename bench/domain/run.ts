// The domain workloads: verification, flows and a 100-credential list on PGlite municipalities, and a
// region-wide list at 1, 5 and 20 municipalities of equal speed; gateway and region in separate processes.
import { join } from 'node:path';
import { freePort, type Started, startProcess, tsEntry } from '../lib/processes';
import { alternate, type RoundPlan, type Summary } from '../lib/rounds';
import { type Observation, scrapedWhileRunning } from '../lib/telemetry';
import { profileFlags } from '../standard/systems';
import { probeShare, type Share } from './probe';
import {
  FLOWS_QUERY,
  HUNDRED_SUBGRAPH_ALONE,
  HUNDRED_VIA_GATEWAY,
  REGION_LIST_QUERY,
  verificationQuery,
} from './queries';

const ROOT = join(__dirname, '..', '..');
const serveDir = (root: string) => join(root, 'bench', 'serve');
const body = (query: string) => JSON.stringify({ query });

export interface DomainRow {
  workload: string;
  summary: Summary;
  statementsPerRequest: number | null;
  share: Share | null;
  /** The same gateway with metrics scraped and traces sampled, side by side. */
  observed: Summary;
  /** The same gateway over a region where no call and no answer is signed, side by side. */
  unsigned: Summary;
  unsignedShare: Share;
  /** With `--baseline`: the gateway and region of the earlier commit, side by side. */
  baseline: Summary | null;
}

export interface ScalingRow {
  municipalities: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
}

export interface DomainOutcome {
  rows: DomainRow[];
  hundred: {
    gateway: Summary;
    gatewayNoDedupe: Summary;
    subgraph: Summary;
    /** Crossgate with metrics scraped and traces sampled. */
    gatewayObserved: Summary;
    /** Crossgate over the same municipality without signatures. */
    gatewayUnsigned: Summary;
    database: string;
  };
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

/**
 * Starts a region process with `env` (see bench/serve/domain-region.ts) and waits for its announcement;
 * `root` is the tree it runs from (an earlier commit's for `--baseline`).
 */
export async function startRegionProcess(env: Record<string, string>, root = ROOT): Promise<Region> {
  const proc = await startProcess({
    name: `region ${JSON.stringify(env)}`,
    ...tsEntry(join(serveDir(root), 'domain-region.ts')),
    env,
    announces: true,
    timeoutMs: 180_000,
  });
  return { proc, info: proc.announcement as unknown as Region['info'] };
}

/** How a gateway process is varied: no dedup, profiled, observed, or signing nothing (its region neither). */
interface GatewayVariant {
  dedupe?: boolean;
  profileDir?: string;
  observed?: Observation;
  unsigned?: boolean;
  /** The tree the gateway runs from: this checkout, or an earlier commit's for `--baseline`. */
  root?: string;
}

/** Starts Crossgate's regional gateway over `region` as a process of its own. */
export async function startGatewayProcess(
  region: Region,
  variant: GatewayVariant = {},
): Promise<{ proc: Started; url: string }> {
  const port = await freePort();
  const proc = await startProcess({
    name: 'crossgate regional gateway',
    ...tsEntry(join(serveDir(variant.root ?? ROOT), 'crossgate-region.ts'), profileFlags(variant.profileDir)),
    env: {
      PORT: String(port),
      REGISTRY_URL: region.info.registryUrl,
      JWKS: JSON.stringify(region.info.jwks),
      KEY_DIR: region.info.gatewayKeyDir,
      REGISTRY_KEYS: JSON.stringify(region.info.registryKeys),
      DEDUPE: variant.dedupe === false ? '0' : '1',
      ...variant.observed?.env,
      ...(variant.unsigned ? UNSIGNED : {}),
    },
    announces: true,
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    proc: variant.observed ? scrapedWhileRunning(proc, `${base}/metrics`, variant.observed.scrapeMs) : proc,
    url: `${base}/graphql`,
  };
}

/** The variables of the variant without signatures, for a region process and its gateway alike. */
const UNSIGNED = { SIGNATURES: 'off' };

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
    /** How the observed gateway rows are traced and scraped. */
    observed: Observation;
    /** An earlier commit's tree (see bench/standard/baseline.ts): its region and gateway run beside today's. */
    baseline?: { short: string; dir: string };
  },
): Promise<DomainOutcome> {
  const started: Started[] = [];
  try {
    // 1. Three PGlite municipalities: verification, a region-wide list and flows, SQL counted; beside
    // them the same gateway observed, and a gateway over the same region started without signatures.
    const region = await startRegionProcess({ MUNICIPALITIES: '3', STORE: 'native' });
    started.push(region.proc);
    const bare = await startRegionProcess({ MUNICIPALITIES: '3', STORE: 'native', ...UNSIGNED });
    started.push(bare.proc);
    // Profiled, each serves the three workloads below in turn: one profile per gateway covers them all.
    const profiled = (name: string) => (plan.profileDir ? join(plan.profileDir, name) : undefined);
    const gw = await startGatewayProcess(region, { profileDir: profiled('crossgate-regional') });
    started.push(gw.proc);
    const observed = await startGatewayProcess(region, {
      observed: options.observed,
      profileDir: profiled('crossgate-observed'),
    });
    started.push(observed.proc);
    // Without signatures identical concurrent calls would be shared by in-flight dedup, which signed
    // calls (each with its own nonce) never are: the variant makes the same calls with dedup off.
    const unsigned = await startGatewayProcess(bare, {
      unsigned: true,
      dedupe: false,
      profileDir: profiled('crossgate-unsigned'),
    });
    started.push(unsigned.proc);
    // The earlier commit runs its own region: the protocol between members may differ between commits.
    const then = options.baseline
      ? await startRegionProcess({ MUNICIPALITIES: '3', STORE: 'native' }, options.baseline.dir)
      : null;
    if (then) started.push(then.proc);
    const thenGw = then ? await startGatewayProcess(then, { root: options.baseline?.dir }) : null;
    if (thenGw) started.push(thenGw.proc);
    const rows: DomainRow[] = [];
    for (const [workload, queryOf] of [
      [
        'employer verification (one municipality + registry)',
        (r: Region) => verificationQuery(r.info.credentialId, r.info.credentialCode, r.info.verifyIn),
      ],
      ['region-wide list, 3 municipalities', () => REGION_LIST_QUERY],
      ['workforce-flows aggregate by year, 3 municipalities', () => FLOWS_QUERY],
    ] as const) {
      plan.log(`domain workload: ${workload}`);
      const query = queryOf(region);
      const [summary, observedSummary, unsignedSummary, baselineSummary] = await alternate(
        [
          {
            id: 'crossgate',
            label: 'Crossgate',
            url: gw.url,
            pid: gw.proc.pid,
            body: body(query),
            headers: auth(region),
          },
          {
            id: 'crossgate-observed',
            label: 'Crossgate, observed',
            url: observed.url,
            pid: observed.proc.pid,
            body: body(query),
            headers: auth(region),
          },
          {
            id: 'crossgate-unsigned',
            label: 'Crossgate, signatures off, no dedup',
            url: unsigned.url,
            pid: unsigned.proc.pid,
            body: body(queryOf(bare)),
            headers: auth(bare),
          },
          ...(then && thenGw
            ? [
                {
                  id: `crossgate@${options.baseline?.short}`,
                  label: `Crossgate at ${options.baseline?.short}`,
                  url: thenGw.url,
                  pid: thenGw.proc.pid,
                  body: body(queryOf(then)),
                  headers: auth(then),
                },
              ]
            : []),
        ],
        plan,
      );
      // counted over sequential requests: under load, identical concurrent reads are shared
      const before = await statements(region.info.statsUrl);
      const share = await probeShare(gw.url, body(query), options.probeRequests, auth(region));
      const after = await statements(region.info.statsUrl);
      const unsignedShare = await probeShare(
        unsigned.url,
        body(queryOf(bare)),
        options.probeRequests,
        auth(bare),
      );
      if (!summary || !observedSummary || !unsignedSummary) throw new Error('no summary');
      rows.push({
        workload,
        summary,
        statementsPerRequest: (after - before) / options.probeRequests,
        share,
        observed: observedSummary,
        unsigned: unsignedSummary,
        unsignedShare,
        baseline: baselineSummary ?? null,
      });
    }
    for (const p of [gw.proc, observed.proc, unsigned.proc, bare.proc, region.proc]) await p.stop();
    for (const p of [thenGw?.proc, then?.proc]) await p?.stop();

    // 2. One municipality: 100 credentials through the gateway against the subgraph alone, and the
    // gateway observed and without signatures (over a second municipality started without them).
    plan.log('domain workload: 100 credentials, gateway vs subgraph alone');
    const database: Record<string, string> = options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {};
    const hundredRegion = { MUNICIPALITIES: '1', STORE: 'native', HOLDERS: '400', ...database };
    const one = await startRegionProcess({ ...hundredRegion, SUBGRAPH_ALONE: '1' });
    started.push(one.proc);
    const oneBare = await startRegionProcess({ ...hundredRegion, ...UNSIGNED });
    started.push(oneBare.proc);
    const gw1 = await startGatewayProcess(one);
    started.push(gw1.proc);
    const gw0 = await startGatewayProcess(one, { dedupe: false });
    started.push(gw0.proc);
    const gwObserved = await startGatewayProcess(one, { observed: options.observed });
    started.push(gwObserved.proc);
    const gwUnsigned = await startGatewayProcess(oneBare, { unsigned: true, dedupe: false });
    started.push(gwUnsigned.proc);
    const hundredVia = (id: string, label: string, g: { proc: Started; url: string }, r: Region) => ({
      id,
      label,
      url: g.url,
      pid: g.proc.pid,
      body: body(HUNDRED_VIA_GATEWAY),
      headers: auth(r),
    });
    const [gateway, gatewayNoDedupe, subgraph, gatewayObserved, gatewayUnsigned] = await alternate(
      [
        hundredVia('gateway', 'Crossgate', gw1, one),
        hundredVia('gateway-no-dedup', 'Crossgate, no dedup', gw0, one),
        {
          id: 'subgraph',
          label: 'municipal subgraph alone',
          url: one.info.credentialsUrl ?? '',
          pid: one.proc.pid,
          body: body(HUNDRED_SUBGRAPH_ALONE),
        },
        hundredVia('gateway-observed', 'Crossgate, observed', gwObserved, one),
        hundredVia('gateway-unsigned', 'Crossgate, signatures off, no dedup', gwUnsigned, oneBare),
      ],
      plan,
    );
    if (!gateway || !gatewayNoDedupe || !subgraph || !gatewayObserved || !gatewayUnsigned)
      throw new Error('no summary');
    for (const p of [gwUnsigned.proc, gwObserved.proc, gw0.proc, gw1.proc, oneBare.proc, one.proc])
      await p.stop();

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
    return {
      rows,
      hundred: {
        gateway,
        gatewayNoDedupe,
        subgraph,
        gatewayObserved,
        gatewayUnsigned,
        database: options.databaseUrl ? 'PostgreSQL' : 'PGlite',
      },
      scaling,
      delayMs: options.delayMs,
    };
  } finally {
    for (const p of started.reverse()) await p.stop();
  }
}
