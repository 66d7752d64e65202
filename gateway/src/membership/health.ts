// The region's health as the gateway sees it: whether the registry answers, and each member's
// admission, circuits and queue; what /health (and readiness) report.
import type { CircuitBreakers } from '../fanout/breaker';
import type { MemberQueues } from '../fanout/member-queue';
import type { MemberHealth, Membership, RegistryReachability } from './members';

export interface RegionHealth {
  /** `ok` only when the registry answers and every active member is healthy. */
  status: 'loading' | 'ok' | 'degraded';
  registry: RegistryReachability;
  members: MemberHealth[];
}

export function regionHealth(
  membership: Membership,
  breakers: CircuitBreakers,
  queues?: MemberQueues,
): RegionHealth {
  const members = membership.health(
    (url) => breakers.state(url).phase,
    queues && ((url) => queues.load(url)),
  );
  const registry = membership.registry;
  const status =
    membership.current.phase !== 'ready'
      ? 'loading'
      : registry.reachable && members.every((m) => m.healthy || m.status !== 'ACTIVE')
        ? 'ok'
        : 'degraded';
  return { status, registry, members };
}
