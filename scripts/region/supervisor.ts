// Runs the demo's processes as a supervisor would: a member that dies is started again after a
// jittered, growing delay, and the others keep serving; waits on readiness without a time limit.
import { type ChildProcess, spawn } from 'node:child_process';
import { backoffDelay } from '../../common/backoff';

export interface Member {
  name: string;
  entry: string;
  env: Record<string, string>;
  /** Its readiness URL (/readyz). */
  readyUrl: string;
}

interface Running {
  member: Member;
  child?: ChildProcess;
  /** Consecutive restarts without a stable run in between. */
  restarts: number;
  startedAt: number;
}

/** A run this long counts as stable: the next failure starts the backoff again. */
const STABLE_MS = 60_000;

export class Supervisor {
  private readonly running = new Map<string, Running>();
  private stopping = false;

  constructor(
    private readonly root: string,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  start(member: Member) {
    const slot: Running = this.running.get(member.name) ?? { member, restarts: 0, startedAt: 0 };
    this.running.set(member.name, slot);
    slot.startedAt = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', `${this.root}/${member.entry}`], {
      env: { ...process.env, ...member.env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    slot.child = child;
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      if (Date.now() - slot.startedAt > STABLE_MS) slot.restarts = 0;
      slot.restarts++;
      const delay = Math.max(500, backoffDelay(slot.restarts, { initialMs: 1000, maxMs: 30_000 }));
      this.log(
        `${member.name} exited (${signal ?? `code ${code}`}); restarting it in ${(delay / 1000).toFixed(1)} s (restart ${slot.restarts}); the rest of the region keeps serving.`,
      );
      setTimeout(() => {
        if (!this.stopping) this.start(member);
      }, delay);
    });
  }

  /** Waits until the member answers /readyz with 200; says every 30 s what it is still waiting for. */
  async ready(member: Member): Promise<void> {
    let lastWord = Date.now();
    let lastStatus = 'not listening yet';
    for (;;) {
      if (this.stopping) throw new Error('stopping');
      try {
        const res = await fetch(member.readyUrl, { signal: AbortSignal.timeout(5000) });
        if (res.ok) return;
        lastStatus = `${res.status} ${(await res.text()).slice(0, 200)}`;
      } catch {
        lastStatus = 'not listening yet';
      }
      if (Date.now() - lastWord > 30_000) {
        this.log(`still waiting for ${member.name} (${lastStatus})`);
        lastWord = Date.now();
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** SIGTERM to every process (each drains), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000) {
    this.stopping = true;
    await Promise.all(
      [...this.running.values()].map(
        ({ child }) =>
          new Promise<void>((done) => {
            if (!child || child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
          }),
      ),
    );
  }
}
