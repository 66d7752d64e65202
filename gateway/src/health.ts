// What the gateway needs before it takes traffic (/readyz): its supergraph, the member list from the
// registry, and the keys that verify callers; draining is added by the server itself.
import type { ReadinessCheck } from '../../common/lifecycle';
import type { FirstLoad } from './membership/first-load';

export interface ReadinessParts {
  firstLoad: () => FirstLoad;
  supergraphLoaded: () => boolean;
  /** Whether the keys that verify bearer tokens are loaded. */
  keys: () => ReadinessCheck;
}

export function gatewayReadiness(parts: ReadinessParts): Record<string, ReadinessCheck> {
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
