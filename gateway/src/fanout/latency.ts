// Per-endpoint latency of recent successful reads, for the hedging delay (a high percentile).

export interface LatencyOptions {
  /** Recent samples kept per endpoint. */
  window: number;
  /** Samples needed before an estimate is given (no hedging before then). */
  minSamples: number;
}

export class LatencyEstimates {
  private readonly samples = new Map<string, { values: number[]; next: number }>();

  constructor(private readonly options: LatencyOptions = { window: 64, minSamples: 10 }) {}

  record(endpoint: string, ms: number): void {
    let ring = this.samples.get(endpoint);
    if (!ring) {
      ring = { values: [], next: 0 };
      this.samples.set(endpoint, ring);
    }
    if (ring.values.length < this.options.window) ring.values.push(ms);
    else ring.values[ring.next] = ms;
    ring.next = (ring.next + 1) % this.options.window;
  }

  /** The q-quantile (0..1) of the endpoint's recent latencies, or undefined with too few samples. */
  quantile(endpoint: string, q: number): number | undefined {
    const values = this.samples.get(endpoint)?.values;
    if (!values || values.length < this.options.minSamples) return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }

  /** Forgets endpoints no longer in the region. */
  retain(endpoints: Iterable<string>): void {
    const keep = new Set(endpoints);
    for (const k of this.samples.keys()) if (!keep.has(k)) this.samples.delete(k);
  }
}
