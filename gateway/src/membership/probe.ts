// The background probe: on an interval it reaches the registry, and every member endpoint whose
// circuit is open and due for a probe, so that a member that came back is marked healthy without
// waiting for a request to probe it, and a dead registry shows on /health.

import type { Logger } from '../../../common/logger';
import { MUNICIPAL_SUBGRAPHS } from '../../../schema/contract';
import type { SubgraphHttpClient } from '../datasources/http-client';
import type { CircuitBreakers } from '../fanout/breaker';
import type { Shard } from '../fanout/shards';
import type { SignRegistryCall } from './directory';
import type { Membership } from './members';

/** How often the probe runs when the configuration does not say. */
export const DEFAULT_PROBE_MS = 5000;

/** The query Apollo's own health check sends: it reads no records. */
const PROBE_BODY = JSON.stringify({ query: 'query __ApolloServiceHealthCheck__ { __typename }' });

export interface ProbeOptions {
  membership: Membership;
  breakers: CircuitBreakers;
  http: SubgraphHttpClient;
  registryUrl: string;
  /** Signs a probe the way every gateway call is signed (subgraphs refuse unsigned calls). */
  sign: SignRegistryCall;
  /** Timeout of the registry probe, and of an endpoint whose member sets none. */
  timeoutMs: number;
  log: Logger;
}

export class BackgroundProbe {
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;

  constructor(private readonly options: ProbeOptions) {}

  /** One round; rounds never overlap (a round still running is joined). */
  runOnce(): Promise<void> {
    this.inFlight ??= this.round().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async round(): Promise<void> {
    await Promise.all([this.probeRegistry(), ...this.dueShards().map((s) => this.probeShard(s))]);
  }

  /** One shard per open endpoint (both subgraphs of a member may share one). */
  private dueShards(): Shard[] {
    const byUrl = new Map<string, Shard>();
    for (const subgraph of MUNICIPAL_SUBGRAPHS)
      for (const shard of this.options.membership.shardMap(subgraph).shards)
        if (this.options.breakers.state(shard.url).phase === 'open') byUrl.set(shard.url, shard);
    return [...byUrl.values()];
  }

  private async probeShard(shard: Shard): Promise<void> {
    const { breakers, http, sign, timeoutMs, log } = this.options;
    if (breakers.admit(shard.url) !== 'probe') return;
    let headers: Record<string, string>;
    try {
      headers = sign(shard.url, PROBE_BODY);
    } catch {
      breakers.record(shard.url, false);
      return;
    }
    const outcome = await http.post(shard.url, PROBE_BODY, headers, shard.policy?.timeoutMs ?? timeoutMs);
    breakers.record(shard.url, outcome.ok);
    if (outcome.ok)
      log.info({ municipality: shard.id }, `municipality ${shard.id} answers again; circuit closed`);
  }

  private async probeRegistry(): Promise<void> {
    const { http, registryUrl, sign, timeoutMs, membership } = this.options;
    let reason: string | null;
    try {
      const outcome = await http.post(registryUrl, PROBE_BODY, sign(registryUrl, PROBE_BODY), timeoutMs);
      reason = outcome.ok ? null : `${outcome.reason} (${outcome.detail})`;
    } catch (e) {
      reason = (e as Error).message;
    }
    membership.noteRegistry(reason);
  }
}
