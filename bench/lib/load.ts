// Drives load with autocannon in its own process and reads its JSON summary.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface LoadSpec {
  url: string;
  body: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** How long one request may take before it counts as a timeout (autocannon's default: 10 s). */
  timeoutSeconds?: number;
}

const AUTOCANNON = join(__dirname, '..', '..', 'node_modules', 'autocannon', 'autocannon.js');

export async function runLoad(spec: LoadSpec, scratchDir: string): Promise<LoadResult> {
  const bodyFile = join(scratchDir, 'load-body.json');
  writeFileSync(bodyFile, spec.body);
  const headerArgs = Object.entries({ 'content-type': 'application/json', ...spec.headers }).flatMap(
    ([k, v]) => ['-H', `${k}=${v}`],
  );
  const args = [
    AUTOCANNON,
    '--json',
    '-c',
    String(spec.connections),
    '-d',
    String(spec.seconds),
    ...(spec.timeoutSeconds ? ['-t', String(spec.timeoutSeconds)] : []),
    '-m',
    'POST',
    '-i',
    bodyFile,
    ...headerArgs,
    spec.url,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`autocannon exited with ${code}`);
  const r = JSON.parse(out) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  };
  return {
    requests: r['2xx'] + r.non2xx,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}
