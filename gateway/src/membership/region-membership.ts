// The region as the gateway follows it: the member list from the registry (first load, refresh,
// admission), the circuits and queues of each member, the background probe and the region's health.
import type { Logger } from '../../../common/logger';
import type { ProcessMetrics } from '../../../common/metrics';
import type { CheckAnswer } from '../auth/answer-signatures';
import type { ForwardHeaders } from '../auth/forward';
import type { GatewayConfig } from '../config';
import type { SubgraphHttpClient } from '../datasources/http-client';
import { CircuitBreakers } from '../fanout/breaker';
import { type MemberTraffic, memberTraffic } from '../fanout/traffic';
import { membershipGauges } from '../observability/gateway-metrics';
import { observedUpstream, upstreamByRouting } from '../observability/upstream';
import { memberContractProblem } from './contract-check';
import { type FirstLoad, loadMembership } from './first-load';
import { type RegionHealth, regionHealth } from './health';
import { Membership } from './members';
import { BackgroundProbe, DEFAULT_PROBE_MS } from './probe';

export interface RegionMembershipParts {
  config: GatewayConfig;
  /** The pooled client; every call through it is traced and measured by member. */
  pooled: SubgraphHttpClient;
  /** Signs a call and passes the end user's token on (none for the gateway's own calls). */
  forward: ForwardHeaders;
  /** Checks that a member signed its answer with its own key (its SDL, read before admission, too). */
  checkAnswer: CheckAnswer;
  /** Clock of the members' circuit breakers. */
  circuitClock: () => number;
  metrics: ProcessMetrics;
  log: Logger;
}

export interface RegionMembership {
  /** The client every upstream call goes through, measured by the member it reaches. */
  http: SubgraphHttpClient;
  membership: Membership;
  breakers: CircuitBreakers;
  traffic: MemberTraffic;
  probe: BackgroundProbe;
  /** The state of the first load of the member list (readiness waits on it). */
  firstLoad: () => FirstLoad;
  /** The registry's reachability and every member's admission, circuits and queue. */
  health(): RegionHealth;
  /** Stops the retries of the first load, the refresh and the probe. */
  stop(): void;
}

/** Follows the region: resolves after the first attempt to load the member list, whatever its outcome. */
export async function startRegionMembership(parts: RegionMembershipParts): Promise<RegionMembership> {
  const { config, forward, checkAnswer, metrics, log } = parts;
  const breakers = new CircuitBreakers({
    failureThreshold: config.breakerFailures,
    coolDownMs: config.breakerCoolDownMs,
    now: parts.circuitClock,
  });
  const traffic = memberTraffic(config);
  const gatewayCall = (url: string, body: string) => forward(url, body, undefined);
  const routing: { membership?: Membership } = {};
  const http = observedUpstream(
    parts.pooled,
    upstreamByRouting(config.registryUrl, () => routing.membership),
    metrics,
  );
  const membership = new Membership(
    config.registryUrl,
    http,
    log.child({ component: 'membership' }),
    gatewayCall,
    config.shardTimeoutMs,
    (member) => memberContractProblem(member, http, config.shardTimeoutMs, gatewayCall, checkAnswer),
  );
  // A member that leaves takes its circuits, latency samples and idle queue with it.
  membership.onRouted((endpoints) => {
    for (const state of [breakers, traffic]) state.retain(endpoints);
  });
  routing.membership = membership;
  membership.onChange(membershipGauges(metrics, membership, (url) => breakers.state(url).phase).changed);
  const firstLoad = await loadMembership(membership, log.child({ component: 'membership' }), {
    initialMs: config.membershipRetryInitialMs,
    maxMs: config.membershipRetryMaxMs,
  });
  membership.start(config.membershipRefreshMs);
  const probe = new BackgroundProbe({
    membership,
    breakers,
    http,
    registryUrl: config.registryUrl,
    sign: gatewayCall,
    timeoutMs: config.shardTimeoutMs,
    log: log.child({ component: 'probe' }),
  });
  probe.start(config.healthProbeMs ?? DEFAULT_PROBE_MS);
  return {
    http,
    membership,
    breakers,
    traffic,
    probe,
    firstLoad: firstLoad.state,
    health: () => regionHealth(membership, breakers, traffic.queues),
    stop() {
      firstLoad.stop();
      membership.stop();
      probe.stop();
    },
  };
}
