// Starting the real entry points as child processes for the production tests: free ports, waiting
// on an HTTP answer with a generous bound, and stopping by signal.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../scripts/free-port';

const ROOT = join(__dirname, '..', '..');

export interface Spawned {
  child: ChildProcess;
  /** Everything the process wrote, stdout and stderr together. */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnEntry(entry: string, env: Record<string, string>): Spawned {
  return spawnProgram(process.execPath, ['--import', 'tsx', join(ROOT, entry)], env);
}

export function spawnProgram(program: string, args: string[], env: Record<string, string> = {}): Spawned {
  const child = spawn(program, args, {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d) => {
    text += d;
  });
  child.stderr?.on('data', (d) => {
    text += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => text, exited };
}

/** A port nothing listens on (taken from the system, then released). */
export const freePort = freeLoopbackPort;

/** Polls `url` until `accept` holds for its answer; fails after `boundMs` (generous: the machine is shared). */
export async function waitForAnswer(
  url: string,
  accept: (status: number, body: string) => boolean,
  boundMs = 150_000,
): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + boundMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      const body = await res.text();
      if (accept(res.status, body)) return { status: res.status, body };
      last = `${res.status} ${body.slice(0, 300)}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} never gave the awaited answer; last: ${last}`);
}

/** Waits until the process has written a line matching `pattern`; its pipe may lag its HTTP answers. */
export async function waitForOutput(spawned: Spawned, pattern: RegExp, boundMs = 60_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!pattern.test(spawned.output())) {
    if (Date.now() > deadline)
      throw new Error(`the process never wrote ${pattern}; it wrote:\n${spawned.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
