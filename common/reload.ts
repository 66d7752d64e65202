// Reload without restart, shared by every process kind: the outcome of each attempt, logged, kept
// for /readyz and counted on /metrics (crossgate_reloads_total{kind,outcome}); and a watched file.
import { readFile, stat } from 'node:fs/promises';
import { Counter } from 'prom-client';
import type { ReadinessCheck } from './lifecycle';
import type { Logger } from './logger';
import type { ProcessMetrics } from './metrics';

/** What was reloaded: the supergraph, a release policy, or a policy's partner list. */
export type ReloadKind = 'supergraph' | 'policy' | 'partners';

/** A reload is applied, or rolled back to what was served before (nothing changes). */
export type ReloadOutcome =
  | { outcome: 'applied'; kind: ReloadKind; origin: string; version: string; at: string }
  | { outcome: 'rolled_back'; kind: ReloadKind; origin: string; problems: string[]; at: string };

export type ReloadAttempt =
  | { outcome: 'applied'; version: string }
  | { outcome: 'rolled_back'; problems: string[] };

/** The outcomes of one process's reloads: logs each, counts each, and tells /readyz the last ones. */
export class ReloadJournal {
  private readonly last = new Map<ReloadKind, ReloadOutcome>();
  private readonly counter: Counter<'kind' | 'outcome'> | undefined;

  constructor(
    private readonly log: Logger,
    metrics: ProcessMetrics | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.counter = metrics ? reloadCounter(metrics) : undefined;
  }

  record(kind: ReloadKind, origin: string, attempt: ReloadAttempt): ReloadOutcome {
    const at = this.now().toISOString();
    const outcome: ReloadOutcome =
      attempt.outcome === 'applied'
        ? { outcome: 'applied', kind, origin, version: attempt.version, at }
        : { outcome: 'rolled_back', kind, origin, problems: attempt.problems, at };
    this.last.set(kind, outcome);
    this.counter?.inc({ kind, outcome: outcome.outcome });
    if (outcome.outcome === 'applied')
      this.log.info({ kind, origin, version: outcome.version }, `${kind} reloaded`);
    else this.log.warn({ kind, origin, problems: outcome.problems }, `${kind} reload rolled back`);
    return outcome;
  }

  latest(kind: ReloadKind): ReloadOutcome | undefined {
    return this.last.get(kind);
  }

  /** A /readyz entry: a rolled-back reload leaves the process serving what it served, so ready. */
  readiness(): ReadinessCheck {
    if (this.last.size === 0) return { ok: true, detail: 'no reload yet' };
    const parts = [...this.last.values()].map((o) =>
      o.outcome === 'applied'
        ? `${o.kind} ${o.version} applied at ${o.at} from ${o.origin}`
        : `${o.kind} from ${o.origin} rolled back at ${o.at}: ${o.problems.join('; ').slice(0, 500)}`,
    );
    return { ok: true, detail: parts.join(' | ') };
  }
}

/** The counter of reloads on the process's registry; registered once per registry. */
function reloadCounter(metrics: ProcessMetrics): Counter<'kind' | 'outcome'> {
  const existing = metrics.registry.getSingleMetric('crossgate_reloads_total');
  if (existing) return existing as Counter<'kind' | 'outcome'>;
  return new Counter({
    name: 'crossgate_reloads_total',
    help: 'Reloads without restart, by kind (supergraph, policy, partners) and outcome (applied, rolled_back).',
    labelNames: ['kind', 'outcome'],
    registers: [metrics.registry],
  });
}

export interface WatchedFile {
  stop(): void;
}

/**
 * Calls `changed` with a file's text whenever it differs from the text last seen (`initial` at
 * first), looking every `intervalMs`: the file is read only when its modification time, size or
 * inode moved, so an atomic rename is seen as well as an edit in place. Calls never overlap.
 */
export function watchFileText(
  path: string,
  options: { intervalMs: number; initial?: string },
  changed: (text: string) => Promise<void> | void,
  onError: (e: Error) => void,
): WatchedFile {
  let mark = '';
  let text = options.initial;
  let busy = false;
  const look = async () => {
    if (busy) return;
    busy = true;
    try {
      const info = await stat(path);
      const now = `${info.mtimeMs}:${info.size}:${info.ino}`;
      if (now === mark) return;
      mark = now;
      const read = await readFile(path, 'utf8');
      if (read === text) return;
      text = read;
      await changed(read);
    } catch (e) {
      onError(e as Error);
    } finally {
      busy = false;
    }
  };
  void look();
  const timer = setInterval(look, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
