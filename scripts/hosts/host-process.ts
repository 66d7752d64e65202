// One process of the region on its host: started through the host's wrapper, its output to a log
// file, signalled and restarted on command, and awaited on its readiness URL with a generous bound.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Host } from './placement';

export interface ProcessSpec {
  name: string;
  host: Host;
  /** Node arguments before the entry (e.g. --expose-gc). */
  nodeArgs?: string[];
  /** The entry file, absolute. */
  entry: string;
  env: Record<string, string>;
  /** Its /readyz (or any URL answering 200 once it serves), as the driver reaches it. */
  readyUrl: string;
  /** Keeps stdin open for control lines (the fault proxy). */
  controlled?: boolean;
  /**
   * Scheduling niceness (`nice -n`, which execs the process in place, so its pid is the process's):
   * many members sharing a few cores then leave the registry and the gateway the CPU that hosts of
   * their own would.
   */
  nice?: number;
}

export class HostProcess {
  child?: ChildProcess;
  private exitedAt?: Promise<void>;
  /** When the last start() spawned it, and when it last answered ready (epoch ms). */
  startedAt = 0;
  readyAt = 0;

  constructor(
    readonly spec: ProcessSpec,
    private readonly logDir: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const { spec } = this;
    const node = [...(spec.nodeArgs ?? []), '--import', 'tsx', spec.entry];
    const [program, args] = spec.nice
      ? spec.host.wrap('nice', ['-n', String(spec.nice), process.execPath, ...node])
      : spec.host.wrap(process.execPath, node);
    const log = openSync(join(this.logDir, `${spec.name}.log`), 'a');
    const child = spawn(program, args, {
      env: { ...process.env, NODE_OPTIONS: '', ...spec.env },
      stdio: [spec.controlled ? 'pipe' : 'ignore', log, log],
    });
    closeSync(log);
    this.child = child;
    this.startedAt = Date.now();
    this.exitedAt = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child?.kill(signal);
  }

  /** Sends `signal` and waits for the exit; SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGCONT');
    this.child?.kill(signal);
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.exitedAt;
    clearTimeout(timer);
  }

  /** Writes one control line to its stdin. */
  control(line: string): void {
    this.child?.stdin?.write(`${line}\n`);
  }

  /** Waits until its readiness URL answers 200; fails after `boundMs` or when it exits. */
  async ready(boundMs = 900_000): Promise<void> {
    const deadline = Date.now() + boundMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.spec.name} exited before it was ready (see its log)`);
      try {
        const res = await fetch(this.spec.readyUrl, { signal: AbortSignal.timeout(5000) });
        if (res.ok) {
          this.readyAt = Date.now();
          return;
        }
        last = `${res.status}`;
      } catch (e) {
        last = (e as Error).message;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`${this.spec.name} was not ready within ${boundMs / 1000} s (last: ${last})`);
  }

  /** Its resident set size in bytes (Linux), or undefined when it is not running. */
  rssBytes(): number | undefined {
    if (!this.running || !this.pid) return undefined;
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }
}
