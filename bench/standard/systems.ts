// The gateways compared on the standard workload, each started as its own process on one supergraph file.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Started, startProcess, tsEntry } from '../lib/processes';
import { type Observation, scrapedWhileRunning } from '../lib/telemetry';

export interface SystemSpec {
  id: string;
  label: string;
  /** With `profileDir`, the gateway's node processes write --cpu-prof profiles there as they exit. */
  start(supergraphFile: string, port: number, profileDir?: string): Promise<Started>;
}

const ROOT = join(__dirname, '..', '..');
const PEERS = join(ROOT, 'bench', 'peers');
const HIVE_BIN = join(PEERS, 'node_modules', '.bin', 'hive-gateway');
const HIVE_CONFIG = join(PEERS, 'gateway.config.mjs');
/** The exact versions pinned in bench/peers/package.json, for the rows' labels. */
const PEER_VERSIONS = (
  JSON.parse(readFileSync(join(PEERS, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
).dependencies;

export async function answers(url: string, body: string): Promise<boolean> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return res.status === 200;
}

export function gatewaySystem(
  id: string,
  label: string,
  entry: string,
  env: Record<string, string> = {},
  nodeFlags: string[] = [],
): SystemSpec {
  return {
    id,
    label,
    start: (supergraph, port, profileDir) =>
      startProcess({
        name: id,
        ...tsEntry(resolve(ROOT, entry), [...nodeFlags, ...profileFlags(profileDir)]),
        env: { BENCH_SUPERGRAPH: supergraph, PORT: String(port), ...env },
        announces: true,
      }),
  };
}

/** Node's own CPU profiler, written when the process exits. */
export function profileFlags(profileDir: string | undefined): string[] {
  return profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
}

export const STOCK: SystemSpec = gatewaySystem(
  'stock',
  'stock @apollo/gateway 2.14.4, defaults',
  'bench/serve/apollo-stock.ts',
);

/** Stock @apollo/gateway as a node:cluster of `workers` processes, beside the single process. */
export function stockCluster(workers: number): SystemSpec {
  return gatewaySystem(
    'stock-cluster',
    `stock @apollo/gateway 2.14.4, defaults, ${workers} workers (node:cluster)`,
    'bench/serve/apollo-stock.ts',
    { WORKERS: String(workers) },
  );
}

export interface CrossgateVariant {
  id: string;
  workers: number;
  dedupe: boolean;
  /** V8 old-space limit (--max-old-space-size), MB; none when absent. */
  heapMb?: number;
  /** Metrics on /metrics, scraped by the bench, and tracing into the bench's sink. */
  observed?: Observation;
}

export function crossgate(v: CrossgateVariant): SystemSpec {
  const parts = [
    'Crossgate: pooled undici',
    v.dedupe ? 'in-flight dedup' : 'no dedup',
    ...(v.heapMb ? [`heap ${v.heapMb} MB`] : []),
    `${v.workers} worker${v.workers > 1 ? 's' : ''}`,
    ...(v.observed ? [observedLabel(v.observed)] : []),
  ];
  const system = gatewaySystem(
    v.id,
    parts.join(', '),
    'bench/serve/crossgate-federated.ts',
    { WORKERS: String(v.workers), DEDUPE: v.dedupe ? '1' : '0', ...v.observed?.env },
    v.heapMb ? [`--max-old-space-size=${v.heapMb}`] : [],
  );
  const observed = v.observed;
  if (!observed) return system;
  return {
    ...system,
    start: async (supergraph, port, profileDir) =>
      scrapedWhileRunning(
        await system.start(supergraph, port, profileDir),
        `http://127.0.0.1:${port}/metrics`,
        observed.scrapeMs,
      ),
  };
}

/** How an observed row is labelled: its sampling ratio and scrape interval. */
export function observedLabel(o: Observation): string {
  const ratio = Number(o.env.OTEL_TRACES_SAMPLER_ARG ?? Number.NaN);
  return `metrics scraped every ${o.scrapeMs / 1000} s, traces sampled at ${ratio * 100} %`;
}

export interface HiveVariant {
  id: string;
  /** Plan and execute with @graphql-hive/router-runtime (Hive Router's Rust query planner). */
  routerRuntime: boolean;
  /** Hive Gateway's in-flight dedup of identical subgraph requests (on by default). */
  dedupe: boolean;
}

/** The peer packages bench/peers/package.json lists, each of which must be installed before a Hive row runs. */
const PEER_PACKAGES = ['@graphql-hive/gateway', '@graphql-hive/router-runtime'];

/**
 * Hive Gateway from npm, installed into bench/peers on first use, configured by bench/peers/gateway.config.mjs:
 * its default JavaScript runtime or the router runtime, with its upstream dedup on or off.
 */
export function hive(probeBody: string, v: HiveVariant): SystemSpec {
  const label = [
    `Hive Gateway ${PEER_VERSIONS['@graphql-hive/gateway']} (npm)`,
    ...(v.routerRuntime
      ? [`@graphql-hive/router-runtime ${PEER_VERSIONS['@graphql-hive/router-runtime']}`]
      : []),
    v.dedupe ? 'upstream dedup (its default)' : 'upstream dedup off',
  ].join(', ');
  return {
    id: v.id,
    label,
    async start(supergraph, port, profileDir) {
      if (PEER_PACKAGES.some((name) => !existsSync(join(PEERS, 'node_modules', name, 'package.json'))))
        await installPeers();
      const url = `http://127.0.0.1:${port}/graphql`;
      const args = [
        'supergraph',
        supergraph,
        '--config-path',
        HIVE_CONFIG,
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
      ];
      // Node refuses --cpu-prof in NODE_OPTIONS: a profiled run starts the bin's script under node itself.
      const started = await startProcess({
        name: v.id,
        ...(profileDir
          ? {
              command: process.execPath,
              args: [...profileFlags(profileDir), realpathSync(HIVE_BIN), ...args],
            }
          : { command: HIVE_BIN, args }),
        env: {
          BENCH_HIVE_ROUTER_RUNTIME: v.routerRuntime ? '1' : '0',
          BENCH_HIVE_DEDUPE: v.dedupe ? '1' : '0',
        },
        ready: () => answers(url, probeBody),
      });
      // The probe has planned the query by now: a router-runtime row that has not loaded the Rust planner's
      // native addon would measure plain Hive Gateway under the wrong name.
      if (v.routerRuntime && !loadsLibrary(started.pid, ROUTER_ADDON)) {
        await started.stop();
        throw new Error(`${v.id} answered without loading ${ROUTER_ADDON}: the router runtime is not in use`);
      }
      return started;
    },
  };
}

/** The file name of the Rust query planner's native addon, as mapped into the process using it. */
const ROUTER_ADDON = 'hive_router_query_planner';

/** Whether `pid` or one of its descendants has a file whose path contains `library` mapped (Linux /proc). */
function loadsLibrary(pid: number, library: string): boolean {
  if (!existsSync(`/proc/${pid}/maps`)) return false;
  if (readFileSync(`/proc/${pid}/maps`, 'utf8').includes(library)) return true;
  const tasks = readdirSync(`/proc/${pid}/task`);
  const children = tasks.flatMap((t) =>
    readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
  return children.some((child) => loadsLibrary(child, library));
}

async function installPeers(): Promise<void> {
  const child = spawn('npm', ['install', '--prefix', PEERS, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0 || !existsSync(HIVE_BIN))
    throw new Error('Could not install the peer gateways into bench/peers');
}
