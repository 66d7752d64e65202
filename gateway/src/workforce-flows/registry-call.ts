// The flows finisher's calls to the registry, signed with the caller's identity like every other.
import { CODES } from '../../../schema/errors';
import type { ForwardHeaders } from '../auth/forward';
import type { SubgraphHttpClient } from '../datasources/http-client';
import type { RegistryCall } from './flow-outcomes';

export function registryCall(
  http: SubgraphHttpClient,
  registryUrl: string,
  timeoutMs: number,
  forward: ForwardHeaders,
): RegistryCall {
  return async (query, variables, context) => {
    const body = JSON.stringify({ query, variables });
    const outcome = await http.post(registryUrl, body, forward(registryUrl, body, context), timeoutMs);
    if (outcome.ok) return { ok: true, payload: outcome.payload };
    return {
      ok: false,
      code: outcome.reason === 'timeout' ? CODES.REGISTRY_TIMEOUT : CODES.REGISTRY_UNAVAILABLE,
    };
  };
}
