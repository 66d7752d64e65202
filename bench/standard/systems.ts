// The gateways compared on the standard workload, each started as its own process on one supergraph file.
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { type Started, startProcess, tsEntry } from '../lib/processes';

export interface SystemSpec {
  id: string;
  label: string;
  /** With `profileDir`, the gateway's node processes write --cpu-prof profiles there as they exit. */
  start(supergraphFile: string, port: number, profileDir?: string): Promise<Started>;
}

const ROOT = join(__dirname, '..', '..');
const PEERS = join(ROOT, 'bench', 'peers');
const HIVE_BIN = join(PEERS, 'node_modules', '.bin', 'hive-gateway');

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
        ...tsEntry(join(ROOT, entry), [...nodeFlags, ...profileFlags(profileDir)]),
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
}

export function crossgate(v: CrossgateVariant): SystemSpec {
  const parts = [
    'Crossgate: pooled undici',
    v.dedupe ? 'in-flight dedup' : 'no dedup',
    ...(v.heapMb ? [`heap ${v.heapMb} MB`] : []),
    `${v.workers} worker${v.workers > 1 ? 's' : ''}`,
  ];
  return gatewaySystem(
    v.id,
    parts.join(', '),
    'bench/serve/crossgate-federated.ts',
    { WORKERS: String(v.workers), DEDUPE: v.dedupe ? '1' : '0' },
    v.heapMb ? [`--max-old-space-size=${v.heapMb}`] : [],
  );
}

/** Hive Gateway from npm, installed into bench/peers on first use. */
export function hive(probeBody: string): SystemSpec {
  return {
    id: 'hive',
    label: 'Hive Gateway 2.15.1 (npm), defaults',
    async start(supergraph, port, profileDir) {
      if (!existsSync(HIVE_BIN)) await installPeers();
      const url = `http://127.0.0.1:${port}/graphql`;
      const args = ['supergraph', supergraph, '--port', String(port), '--host', '127.0.0.1'];
      // Node refuses --cpu-prof in NODE_OPTIONS: a profiled run starts the bin's script under node itself.
      return startProcess({
        name: 'hive',
        ...(profileDir
          ? {
              command: process.execPath,
              args: [...profileFlags(profileDir), realpathSync(HIVE_BIN), ...args],
            }
          : { command: HIVE_BIN, args }),
        ready: () => answers(url, probeBody),
      });
    },
  };
}

async function installPeers(): Promise<void> {
  const child = spawn('npm', ['install', '--prefix', PEERS, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0 || !existsSync(HIVE_BIN)) throw new Error('Could not install Hive Gateway into bench/peers');
}
