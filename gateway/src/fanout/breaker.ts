// A circuit breaker per shard: open after N consecutive failures, one probe after a cool-down.

export interface BreakerOptions {
  /** Consecutive failed calls that open the circuit; 0 disables the breaker. */
  failureThreshold: number;
  /** How long an open circuit skips the shard before letting one probe through. */
  coolDownMs: number;
  /** Milliseconds clock; injected so tests need no sleeping. */
  now: () => number;
}

export type CircuitState =
  | { phase: 'closed'; failures: number }
  | { phase: 'open'; since: number }
  | { phase: 'half-open' };

export type Admission = 'call' | 'probe' | 'skip';

export class CircuitBreakers {
  private readonly states = new Map<string, CircuitState>();

  constructor(private readonly options: BreakerOptions) {}

  state(shard: string): CircuitState {
    return this.states.get(shard) ?? { phase: 'closed', failures: 0 };
  }

  /** Decides whether a call to the shard may go out; a probe must be followed by record(). */
  admit(shard: string): Admission {
    if (this.options.failureThreshold <= 0) return 'call';
    const s = this.state(shard);
    switch (s.phase) {
      case 'closed':
        return 'call';
      case 'half-open':
        return 'skip';
      case 'open':
        if (this.options.now() - s.since < this.options.coolDownMs) return 'skip';
        this.states.set(shard, { phase: 'half-open' });
        return 'probe';
    }
  }

  /** Records a call's outcome: a success closes the circuit, a failure counts or re-opens it. */
  record(shard: string, ok: boolean): void {
    if (this.options.failureThreshold <= 0) return;
    const s = this.state(shard);
    if (ok) {
      if (s.phase !== 'closed' || s.failures > 0) this.states.set(shard, { phase: 'closed', failures: 0 });
      return;
    }
    const failures = s.phase === 'closed' ? s.failures + 1 : this.options.failureThreshold;
    this.states.set(
      shard,
      failures >= this.options.failureThreshold
        ? { phase: 'open', since: this.options.now() }
        : { phase: 'closed', failures },
    );
  }

  /** Forgets shards no longer in the region. */
  retain(shards: Iterable<string>): void {
    const keep = new Set(shards);
    for (const k of this.states.keys()) if (!keep.has(k)) this.states.delete(k);
  }
}
