// Backpressure per endpoint: a bounded number of calls in flight, a bounded queue behind them, and
// an immediate refusal beyond that, so that a slow member cannot pile up the gateway's work.

export interface QueueLimits {
  maxInFlight: number;
  maxQueued: number;
}

/** A held slot; release it exactly once when the call is over. */
export type Release = () => void;

interface EndpointQueue {
  inFlight: number;
  waiting: (() => void)[];
}

export class MemberQueues {
  private readonly queues = new Map<string, EndpointQueue>();

  private queueOf(endpoint: string): EndpointQueue {
    let q = this.queues.get(endpoint);
    if (!q) {
      q = { inFlight: 0, waiting: [] };
      this.queues.set(endpoint, q);
    }
    return q;
  }

  /** A slot for a call: at once, after waiting in line, or 'overloaded' when the line is full. */
  acquire(endpoint: string, limits: QueueLimits): Release | Promise<Release> | 'overloaded' {
    const q = this.queueOf(endpoint);
    if (q.inFlight < limits.maxInFlight) return this.hold(q);
    if (q.waiting.length >= limits.maxQueued) return 'overloaded';
    return new Promise<Release>((resolve) => q.waiting.push(() => resolve(this.hold(q))));
  }

  /** A slot only if one is free now (hedged calls never wait in line). */
  tryAcquire(endpoint: string, limits: QueueLimits): Release | undefined {
    const q = this.queueOf(endpoint);
    return q.inFlight < limits.maxInFlight && q.waiting.length === 0 ? this.hold(q) : undefined;
  }

  /** Calls in flight and waiting, per endpoint (for health and metrics). */
  load(endpoint: string): { inFlight: number; queued: number } {
    const q = this.queues.get(endpoint);
    return { inFlight: q?.inFlight ?? 0, queued: q?.waiting.length ?? 0 };
  }

  /** Forgets idle endpoints no longer in the region (calls in flight finish on their own queue). */
  retain(endpoints: Iterable<string>): void {
    const keep = new Set(endpoints);
    for (const [k, q] of this.queues) if (!keep.has(k) && q.inFlight === 0) this.queues.delete(k);
  }

  private hold(q: EndpointQueue): Release {
    q.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      q.inFlight--;
      q.waiting.shift()?.();
    };
  }
}
