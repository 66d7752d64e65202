// Health and shutdown of a process: /livez, /readyz with named checks, and the drain on SIGTERM.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from './logger';

/** One named condition of readiness: ok, or why not. */
export interface ReadinessCheck {
  ok: boolean;
  detail?: string;
}

/** What a process must have before it takes traffic, checked on every /readyz. */
export type Readiness = () => Promise<Record<string, ReadinessCheck>> | Record<string, ReadinessCheck>;

type HealthRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function answer(res: ServerResponse, status: number, value: unknown) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(value));
}

/**
 * /livez answers 200 while the event loop turns; /readyz answers 200 only when every check passes
 * and the process is not draining, 503 with the failing checks otherwise.
 */
export function healthRoutes(
  readiness: Readiness | undefined,
  draining: () => boolean,
): Record<string, HealthRoute> {
  return {
    '/livez': async (_req, res) => answer(res, 200, { status: 'live' }),
    '/readyz': async (_req, res) => {
      let checks: Record<string, ReadinessCheck>;
      try {
        checks = readiness ? await readiness() : {};
      } catch (e) {
        checks = { readiness: { ok: false, detail: `check failed: ${(e as Error).message}` } };
      }
      if (draining()) checks = { ...checks, draining: { ok: false, detail: 'shutting down' } };
      const ready = Object.values(checks).every((c) => c.ok);
      answer(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
    },
  };
}

/** Runs `check` with a time bound, so that a stalled dependency makes /readyz fail, not hang. */
export async function withinMs(ms: number, check: () => Promise<unknown>): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ReadinessCheck>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([
      check().then(
        () => ({ ok: true }),
        (e: Error) => ({ ok: false, detail: e.message }),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface Drainable {
  drain(graceMs: number): Promise<{ unfinished: number }>;
}

/**
 * On SIGTERM or SIGINT: drain every server (no new requests, those in flight finish within
 * `graceMs`), release resources, exit 0. A second signal exits at once.
 */
export function drainOnSignal(options: {
  servers: readonly Drainable[];
  graceMs: number;
  log: Logger;
  release: () => Promise<void>;
  exit?: (code: number) => void;
}) {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return exit(1);
    stopping = true;
    options.log.info(
      { signal, graceMs: options.graceMs },
      'draining: no new requests, finishing those in flight',
    );
    const drained = await Promise.all(options.servers.map((s) => s.drain(options.graceMs)));
    const unfinished = drained.reduce((n, d) => n + d.unfinished, 0);
    if (unfinished > 0)
      options.log.warn({ unfinished }, 'grace period over; requests still running were cut');
    try {
      await options.release();
    } catch (e) {
      options.log.error({ err: e }, 'releasing resources failed');
    }
    options.log.info('stopped');
    exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
