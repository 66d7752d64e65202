// What the soak saw, phase by phase: requests, latencies, coded errors by code and municipality,
// reads that failed without a code naming a municipality, and the gateway's resident set size.

export interface PhaseRecord {
  name: string;
  startedAt: number;
  endedAt?: number;
  /** Fault events of the phase, with their time. */
  events: { at: number; what: string }[];
  requests: number;
  latenciesMs: number[];
  /** "CODE municipality" → count. */
  errors: Map<string, number>;
  /** Reads that failed without a code naming the municipality (or the registry). */
  uncodedReads: number;
  uncodedExamples: string[];
  rssBytes: number[];
}

export interface GraphQLErrorShape {
  message?: string;
  extensions?: { code?: unknown; municipality?: unknown };
}

/** Whom an error names: its municipality, the registry for registry codes, or nobody. */
export function errorOwner(error: GraphQLErrorShape): string | undefined {
  const code = error.extensions?.code;
  const municipality = error.extensions?.municipality;
  if (typeof municipality === 'string' && municipality) return municipality;
  if (typeof code === 'string' && code.startsWith('REGISTRY_')) return 'registry';
  return undefined;
}

export class SoakRecorder {
  readonly phases: PhaseRecord[] = [];
  private readonly clock: () => number;

  constructor(
    clock: () => number,
    private readonly log: (line: string) => void,
  ) {
    this.clock = clock;
  }

  get current(): PhaseRecord | undefined {
    return this.phases.at(-1);
  }

  startPhase(name: string): void {
    const now = this.clock();
    const previous = this.current;
    if (previous && previous.endedAt === undefined) previous.endedAt = now;
    this.phases.push({
      name,
      startedAt: now,
      events: [],
      requests: 0,
      latenciesMs: [],
      errors: new Map(),
      uncodedReads: 0,
      uncodedExamples: [],
      rssBytes: [],
    });
    this.log(`phase ${name}`);
  }

  finish(): void {
    const last = this.current;
    if (last && last.endedAt === undefined) last.endedAt = this.clock();
  }

  event(what: string): void {
    const at = this.clock();
    this.current?.events.push({ at, what });
    this.log(`${new Date(at).toISOString()} ${what}`);
  }

  rss(bytes: number | undefined): void {
    if (bytes !== undefined) this.current?.rssBytes.push(bytes);
  }

  /** One answered (or failed) request; `transport` is set when no GraphQL answer came back. */
  request(
    kind: 'read' | 'write',
    ms: number,
    errors: readonly GraphQLErrorShape[],
    transport?: string,
  ): void {
    const phase = this.current;
    if (!phase) return;
    phase.requests++;
    phase.latenciesMs.push(ms);
    for (const e of errors) {
      const code = typeof e.extensions?.code === 'string' ? e.extensions.code : 'NO_CODE';
      const key = `${code} ${errorOwner(e) ?? '—'}`;
      phase.errors.set(key, (phase.errors.get(key) ?? 0) + 1);
    }
    if (kind !== 'read') return;
    const unnamed = errors.find((e) => typeof e.extensions?.code !== 'string' || !errorOwner(e));
    if (transport || unnamed) {
      phase.uncodedReads++;
      if (phase.uncodedExamples.length < 5) {
        phase.uncodedExamples.push(transport ?? JSON.stringify(unnamed).slice(0, 300));
      }
    }
  }
}

/** The q-quantile (0..1) of `values`, nearest rank; 0 for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}
