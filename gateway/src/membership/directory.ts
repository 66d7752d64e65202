// The member list, read from the registry's directory; the fan-out routes by it.
import type { SubgraphHttpClient } from '../datasources/http-client';
import type { Member } from '../fanout/shards';

const DIRECTORY_QUERY =
  '{ memberDirectory { code status credentialsUrl workforceUrl timeoutMs hedgeReads maxInFlight maxQueued } }';

/** Headers that sign a request to the registry (which refuses unsigned ones). */
export type SignRegistryCall = (url: string, body: string) => Record<string, string>;

export async function fetchMembers(
  registryUrl: string,
  http: SubgraphHttpClient,
  timeoutMs: number,
  sign: SignRegistryCall,
): Promise<Member[]> {
  const body = JSON.stringify({ query: DIRECTORY_QUERY });
  const outcome = await http.post(registryUrl, body, sign(registryUrl, body), timeoutMs);
  if (!outcome.ok) throw new Error(`Registry directory unavailable: ${outcome.reason} (${outcome.detail})`);
  const members = outcome.payload.data?.memberDirectory;
  if (!Array.isArray(members)) {
    throw new Error(
      `Registry directory answered without members: ${JSON.stringify(outcome.payload.errors ?? [])}`,
    );
  }
  return members as Member[];
}
