// What the gateway reports about itself: /readyz (supergraph, membership, keys, not draining) and
// the /health document of members and their circuits.
import type { ReadinessCheck } from '../../common/lifecycle';
import type { CircuitBreakers } from './fanout/breaker';
import type { FirstLoad } from './membership/first-load';
import type { Membership } from './membership/members';

export interface GatewayParts {
  membership: Membership;
  firstLoad: () => FirstLoad;
  supergraphLoaded: () => boolean;
  /** Whether the keys that verify bearer tokens (and sign calls to members) are loaded. */
  keys: () => ReadinessCheck;
  breakers: CircuitBreakers;
}

export function gatewayReadiness(parts: GatewayParts): Record<string, ReadinessCheck> {
  const load = parts.firstLoad();
  return {
    supergraph: parts.supergraphLoaded() ? { ok: true } : { ok: false, detail: 'no supergraph loaded yet' },
    membership:
      load.phase === 'loaded'
        ? { ok: true }
        : {
            ok: false,
            detail: `waiting for the registry's member list (attempt ${load.attempts}${
              load.lastError ? `: ${load.lastError}` : ''
            })`,
          },
    keys: parts.keys(),
  };
}

/** The /health document: ok, degraded (a member unhealthy), or loading (no member list yet). */
export function gatewayHealth(parts: GatewayParts) {
  const members = parts.membership.health((url) => parts.breakers.state(url).phase);
  const status =
    parts.membership.current.phase !== 'ready'
      ? 'loading'
      : members.every((m) => m.healthy || m.status !== 'ACTIVE')
        ? 'ok'
        : 'degraded';
  return { status, members };
}
