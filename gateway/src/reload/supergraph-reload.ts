// The running supergraph and its replacement while serving: a candidate (from a watched file or a
// polled URL) is checked against the running one and applied, or rolled back and the old one kept.
// Requests in flight finish on the schema and plan they started with.
import { createHash } from 'node:crypto';
import type { SupergraphManager } from '@apollo/gateway';
import type { Logger } from '../../../common/logger';
import {
  type ReloadJournal,
  type ReloadOutcome,
  type WatchedFile,
  watchFileText,
} from '../../../common/reload';
import { type BuiltSupergraph, checkSupergraph } from './supergraph-check';

export const supergraphVersion = (sdl: string) => createHash('sha256').update(sdl).digest('hex').slice(0, 12);

export class SupergraphReload {
  private running: BuiltSupergraph;
  private update: ((servedSdl: string) => void) | undefined;
  private readonly appliedListeners: ((built: BuiltSupergraph) => void)[] = [];

  constructor(
    initial: BuiltSupergraph,
    private readonly operationsInUse: Iterable<string>,
    private readonly journal: ReloadJournal,
  ) {
    this.running = initial;
  }

  /** The supergraph now served. */
  current(): BuiltSupergraph {
    return this.running;
  }

  version(): string {
    return supergraphVersion(this.running.sdl);
  }

  /** Given to @apollo/gateway as `supergraphSdl`: hands it the first supergraph, keeps its update hook. */
  manager(): SupergraphManager {
    return {
      initialize: async ({ update }) => {
        this.update = update;
        return { supergraphSdl: this.running.servedSdl };
      },
    };
  }

  onApplied(listener: (built: BuiltSupergraph) => void): void {
    this.appliedListeners.push(listener);
  }

  /** Checks and applies a candidate; null when it is the supergraph already served. */
  offer(candidate: string, origin: string): ReloadOutcome | null {
    if (candidate === this.running.sdl) return null;
    const checked = checkSupergraph(candidate, this.running, this.operationsInUse);
    if (!checked.ok)
      return this.journal.record('supergraph', origin, {
        outcome: 'rolled_back',
        problems: checked.problems,
      });
    if (!this.update) {
      return this.journal.record('supergraph', origin, {
        outcome: 'rolled_back',
        problems: ['the gateway has not loaded its first supergraph yet'],
      });
    }
    try {
      // @apollo/gateway keeps its previous schema and planner when the update throws.
      this.update(checked.built.servedSdl);
    } catch (e) {
      return this.journal.record('supergraph', origin, {
        outcome: 'rolled_back',
        problems: [`the gateway refused it: ${(e as Error).message.split('\n')[0]}`],
      });
    }
    this.running = checked.built;
    for (const listener of this.appliedListeners) listener(checked.built);
    return this.journal.record('supergraph', origin, { outcome: 'applied', version: this.version() });
  }
}

export interface SupergraphSources {
  /** A supergraph file to watch. */
  file?: string;
  /** A URL answering the supergraph's text to GET (the registry's, for one). */
  url?: string;
  /** How often the file is looked at and the URL asked. */
  pollMs: number;
  fetch?: typeof fetch;
  log: Logger;
}

/** Feeds the reload from its sources until stopped. */
export function followSupergraphSources(reload: SupergraphReload, sources: SupergraphSources): WatchedFile {
  const stops: (() => void)[] = [];
  if (sources.file && sources.pollMs > 0) {
    const file = sources.file;
    const watched = watchFileText(
      file,
      { intervalMs: sources.pollMs, initial: reload.current().sdl },
      (text) => {
        reload.offer(text, `file ${file}`);
      },
      (e) => sources.log.warn({ err: e.message, file }, 'supergraph file unreadable; the running one stays'),
    );
    stops.push(() => watched.stop());
  }
  if (sources.url && sources.pollMs > 0) {
    const url = sources.url;
    const fetchFn = sources.fetch ?? fetch;
    let busy = false;
    const ask = async () => {
      if (busy) return;
      busy = true;
      try {
        const res = await fetchFn(url, {
          signal: AbortSignal.timeout(Math.max(sources.pollMs, 5000)),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        reload.offer(await res.text(), `url ${url}`);
      } catch (e) {
        sources.log.warn(
          { err: (e as Error).message, url },
          'supergraph source did not answer; the running one stays',
        );
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(ask, sources.pollMs);
    timer.unref();
    stops.push(() => clearInterval(timer));
  }
  return {
    stop: () => {
      for (const stop of stops) stop();
    },
  };
}
