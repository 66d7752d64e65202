// The member list, read from the registry's directory; the fan-out routes by it.
import type { SubgraphHttpClient } from '../datasources/http-client';
import type { Member } from '../fanout/shards';

const DIRECTORY_QUERY = '{ memberDirectory { code status credentialsUrl workforceUrl } }';

export async function fetchMembers(
  registryUrl: string,
  http: SubgraphHttpClient,
  timeoutMs: number,
): Promise<Member[]> {
  const outcome = await http.post(registryUrl, JSON.stringify({ query: DIRECTORY_QUERY }), {}, timeoutMs);
  if (!outcome.ok) throw new Error(`Registry directory unavailable: ${outcome.reason} (${outcome.detail})`);
  const members = outcome.payload.data?.memberDirectory;
  if (!Array.isArray(members)) {
    throw new Error(
      `Registry directory answered without members: ${JSON.stringify(outcome.payload.errors ?? [])}`,
    );
  }
  return members as Member[];
}
