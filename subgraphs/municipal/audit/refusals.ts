// Requests refused before execution (no valid signature) are counted per source address and interval and
// logged as one entry each, from what the connection shows, never from fields the sender chose: a flood
// adds a few rows per interval, not one per request, so it cannot bury the real entries.
import type { Logger } from '../../../common/logger';
import type { AuditEntryInput, AuditStore } from './chain';

export interface RefusalTallyOptions {
  audit: Pick<AuditStore, 'append'>;
  /** The municipalities whose log records the refusals (a shard's several each get the entry). */
  municipalities: readonly string[];
  /** Length of one counting interval. */
  intervalMs: number;
  /** Sources counted apart within one interval; the rest are counted together as "other sources". */
  maxSources?: number;
  now: () => number;
  log: Logger;
}

interface Bucket {
  start: number;
  count: number;
  /** Refusals by reason (missing, forged, …) and by route. */
  reasons: Map<string, number>;
  paths: Set<string>;
}

const OTHERS = 'other-sources';

export class RefusalTally {
  /** Open buckets by interval start, then by source address. */
  private readonly intervals = new Map<number, Map<string, Bucket>>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: RefusalTallyOptions) {}

  /** Counts one refused request from `source` (the connection's peer address). */
  note(source: string | undefined, path: string, reason: string): void {
    const t = this.options.now();
    const start = t - (t % this.options.intervalMs);
    let sources = this.intervals.get(start);
    if (!sources) {
      sources = new Map();
      this.intervals.set(start, sources);
    }
    let address = source || 'unknown';
    if (!sources.has(address) && sources.size >= (this.options.maxSources ?? 100)) address = OTHERS;
    let bucket = sources.get(address);
    if (!bucket) {
      bucket = { start, count: 0, reasons: new Map(), paths: new Set() };
      sources.set(address, bucket);
    }
    bucket.count++;
    bucket.reasons.set(reason, (bucket.reasons.get(reason) ?? 0) + 1);
    bucket.paths.add(path.slice(1));
    // An interval that has ended is written at once, even before the timer comes round.
    if ([...this.intervals.keys()].some((s) => s < start)) this.flush(false).catch(() => undefined);
  }

  /** Writes the intervals that have ended (every interval with `all`), one entry per source and municipality. */
  flush(all = true): Promise<void> {
    const run = this.flushing.then(() => this.write(all));
    this.flushing = run.catch(() => undefined);
    return run;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(false).catch(() => undefined), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what is counted. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush(true);
  }

  private async write(all: boolean): Promise<void> {
    const t = this.options.now();
    const current = t - (t % this.options.intervalMs);
    const entries: AuditEntryInput[] = [];
    for (const [start, sources] of [...this.intervals.entries()].sort(([a], [b]) => a - b)) {
      if (!all && start >= current) continue;
      this.intervals.delete(start);
      const end = new Date(start + this.options.intervalMs).toISOString();
      for (const [source, b] of sources) {
        const reasons = [...b.reasons.entries()]
          .sort(([x], [y]) => (x < y ? -1 : 1))
          .map(([r, n]) => `${r}: ${n}`)
          .join(', ');
        for (const municipality of this.options.municipalities)
          entries.push({
            at: all && start >= current ? new Date(t).toISOString() : end,
            municipality,
            requestId: '',
            subject: `unverified:${source}`,
            role: 'anonymous',
            home: null,
            purpose: null,
            operation: `${[...b.paths].sort().join('+')}: refused before execution`,
            fields: [],
            recordIds: [],
            decision: 'denied',
            reason: `${b.count} ${b.count === 1 ? 'request' : 'requests'} refused from ${new Date(start).toISOString()} (${reasons})`,
          });
      }
    }
    if (entries.length === 0) return;
    try {
      await this.options.audit.append(entries);
    } catch (e) {
      this.options.log.error({ err: e, entries: entries.length }, 'could not audit refused requests');
      throw e;
    }
  }
}
