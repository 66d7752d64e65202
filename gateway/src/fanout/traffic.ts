// What the gateway keeps per member endpoint beyond its circuit: recent read latencies (for hedging)
// and its bounded queue (backpressure); shared by every fanned-out data source.
import { LatencyEstimates } from './latency';
import { MemberQueues } from './member-queue';

export interface TrafficDefaults {
  /** Calls in flight per endpoint when its directory entry sets no limit. */
  maxInFlight: number;
  /** Calls waiting per endpoint when its directory entry sets no limit. */
  maxQueued: number;
  /** Further attempts of a write that carries an idempotency key, after a transport failure. */
  writeRetries: number;
  /** The latency quantile after which a hedged read sends its second request. */
  hedgeQuantile: number;
}

export const DEFAULT_TRAFFIC: TrafficDefaults = {
  maxInFlight: 64,
  maxQueued: 256,
  writeRetries: 2,
  hedgeQuantile: 0.95,
};

export class MemberTraffic {
  readonly latency = new LatencyEstimates();
  readonly queues = new MemberQueues();

  constructor(
    readonly defaults: TrafficDefaults = DEFAULT_TRAFFIC,
    /** Milliseconds clock for latency samples. */
    readonly now: () => number = () => performance.now(),
  ) {}

  /** Forgets endpoints no longer in the region. */
  retain(endpoints: Iterable<string>): void {
    const keep = [...endpoints];
    this.latency.retain(keep);
    this.queues.retain(keep);
  }
}

/** The traffic state of a gateway from its configuration; a setting left out takes DEFAULT_TRAFFIC's. */
export function memberTraffic(config: {
  memberMaxInFlight?: number;
  memberMaxQueued?: number;
  writeRetries?: number;
}): MemberTraffic {
  return new MemberTraffic({
    ...DEFAULT_TRAFFIC,
    maxInFlight: config.memberMaxInFlight ?? DEFAULT_TRAFFIC.maxInFlight,
    maxQueued: config.memberMaxQueued ?? DEFAULT_TRAFFIC.maxQueued,
    writeRetries: config.writeRetries ?? DEFAULT_TRAFFIC.writeRetries,
  });
}
