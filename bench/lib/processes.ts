// Starts the processes a benchmark measures, waits until they answer, and stops them.
import { type ChildProcess, spawn } from 'node:child_process';
import { freeLoopbackPort } from '../../scripts/free-port';

export interface Started {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The first JSON line the process printed, when it announces itself that way. */
  announcement?: Record<string, unknown>;
  stop(): Promise<void>;
}

/** A free loopback port outside the demo's range (4000-4103). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await freeLoopbackPort();
    if (port > 0 && (port < 4000 || port > 4103)) return port;
  }
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Wait for a JSON line on stdout with `ready: true`. */
  announces?: boolean;
  /** Or wait until this check passes. */
  ready?: () => Promise<boolean>;
  timeoutMs?: number;
}

export async function startProcess(options: StartOptions): Promise<Started> {
  const child = spawn(options.command, options.args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`${options.name} exited (${code}) before ready:\n${stderr}`)),
    ),
  );
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let announcement: Record<string, unknown> | undefined;
  const announced = new Promise<void>((resolve) => {
    let buffered = '';
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (const line of buffered.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (parsed.ready === true && !announcement) {
            announcement = parsed;
            resolve();
          }
        } catch {
          // a partial line
        }
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
  });
  const polled = async () => {
    while (Date.now() < deadline) {
      if (await options.ready?.().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${options.name} not ready in time:\n${stderr}`);
  };
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`${options.name} not ready in time:\n${stderr}`)),
      options.timeoutMs ?? 60_000,
    ).unref(),
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };
  try {
    await Promise.race([options.announces ? announced : polled(), exited, timeout]);
  } catch (e) {
    await stop();
    throw e;
  }
  exited.catch(() => undefined);
  return { name: options.name, child, pid: child.pid ?? 0, announcement, stop };
}

/** Runs a TypeScript entry in a plain node process (no wrapper process between). */
export function tsEntry(file: string, nodeFlags: string[] = []): { command: string; args: string[] } {
  return { command: process.execPath, args: [...nodeFlags, '--import', 'tsx', file] };
}
