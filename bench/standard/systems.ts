// The gateways compared on the standard workload, each started as its own process on one supergraph file.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Started, startProcess, tsEntry } from '../lib/processes';

export interface SystemSpec {
  id: string;
  label: string;
  start(supergraphFile: string, port: number): Promise<Started>;
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
    start: (supergraph, port) =>
      startProcess({
        name: id,
        ...tsEntry(join(ROOT, entry), nodeFlags),
        env: { BENCH_SUPERGRAPH: supergraph, PORT: String(port), ...env },
        announces: true,
      }),
  };
}

export const STOCK: SystemSpec = gatewaySystem(
  'stock',
  'stock @apollo/gateway 2.14.4, defaults',
  'bench/serve/apollo-stock.ts',
);

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
    async start(supergraph, port) {
      if (!existsSync(HIVE_BIN)) await installPeers();
      const url = `http://127.0.0.1:${port}/graphql`;
      return startProcess({
        name: 'hive',
        command: HIVE_BIN,
        args: ['supergraph', supergraph, '--port', String(port), '--host', '127.0.0.1'],
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
