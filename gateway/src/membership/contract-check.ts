// Admission of a joining municipality: its subgraphs' SDL must offer everything the contract does.
import { buildASTSchema, findBreakingChanges, type GraphQLSchema, parse } from 'graphql';
import { MUNICIPAL_SUBGRAPHS, subgraphSdl } from '../../../schema/contract';
import type { CheckAnswer } from '../auth/answer-signatures';
import type { SubgraphHttpClient } from '../datasources/http-client';
import type { MunicipalSubgraph } from '../fanout/rules';
import type { Member } from '../fanout/shards';

const SERVICE_QUERY = JSON.stringify({ query: '{ _service { sdl } }' });

/** Schemas built from SDL alone; federation directives are kept as annotations, not checked. */
function schemaOf(sdl: string): GraphQLSchema {
  return buildASTSchema(parse(sdl), { assumeValidSDL: true });
}

const contract = new Map<MunicipalSubgraph, GraphQLSchema>();
function contractSchema(subgraph: MunicipalSubgraph): GraphQLSchema {
  let schema = contract.get(subgraph);
  if (!schema) {
    schema = schemaOf(subgraphSdl(subgraph));
    contract.set(subgraph, schema);
  }
  return schema;
}

/** Why one subgraph of a member does not satisfy the contract, or null when it does. */
export async function contractProblem(
  subgraph: MunicipalSubgraph,
  url: string,
  http: SubgraphHttpClient,
  timeoutMs: number,
  headers?: (url: string, body: string) => Record<string, string>,
  /** The member's own signature on its answer: an SDL altered on the way is no admission. */
  signedBy?: { check: CheckAnswer; member: string },
): Promise<string | null> {
  let signed: Record<string, string>;
  try {
    signed = headers?.(url, SERVICE_QUERY) ?? {};
  } catch {
    return `its ${subgraph} endpoint ${JSON.stringify(url.slice(0, 200))} is not a usable URL`;
  }
  const answered = await http.post(url, SERVICE_QUERY, signed, timeoutMs);
  const outcome = signedBy
    ? await signedBy.check({ id: signedBy.member, codes: [signedBy.member] }, signed, answered)
    : answered;
  if (!outcome.ok && outcome.reason === 'signature_invalid')
    return `its ${subgraph} subgraph's answer to { _service { sdl } } is not signed by its own key (${outcome.detail})`;
  if (!outcome.ok) return `its ${subgraph} subgraph did not answer { _service { sdl } } (${outcome.reason})`;
  const sdl = (outcome.payload.data?._service as { sdl?: unknown } | undefined)?.sdl;
  if (typeof sdl !== 'string') return `its ${subgraph} subgraph answered { _service { sdl } } without an SDL`;
  let remote: GraphQLSchema;
  try {
    remote = schemaOf(sdl);
  } catch (e) {
    return `its ${subgraph} subgraph's SDL does not build: ${(e as Error).message}`;
  }
  const missing = findBreakingChanges(contractSchema(subgraph), remote);
  if (missing.length === 0) return null;
  return `its ${subgraph} subgraph does not satisfy the contract: ${missing.map((c) => c.description).join('; ')}`;
}

/** Why a member cannot be admitted, or null when both its subgraphs satisfy the contract. */
export async function memberContractProblem(
  member: Member,
  http: SubgraphHttpClient,
  timeoutMs: number,
  /** Headers for the SDL request: the gateway's signature over the endpoint and body. */
  headers?: (url: string, body: string) => Record<string, string>,
  /** Checks that the member signed its answers with its own key. */
  check?: CheckAnswer,
): Promise<string | null> {
  const problems = await Promise.all(
    MUNICIPAL_SUBGRAPHS.map((s) =>
      contractProblem(
        s,
        s === 'credentials' ? member.credentialsUrl : member.workforceUrl,
        http,
        timeoutMs,
        headers,
        check ? { check, member: member.code } : undefined,
      ),
    ),
  );
  const found = problems.filter((p): p is string => p !== null);
  return found.length ? found.join('; ') : null;
}
