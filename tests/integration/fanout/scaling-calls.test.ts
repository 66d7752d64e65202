// At 30 members, a query naming one municipality or one id calls that member alone; a region-wide
// list calls each member once. The gateway's shard-call hook counts every call. Each member serves
// from memory (the benchmark's equal-speed store), so 30 of them start quickly in one process.
import { createMemoryAuditStore } from '../../../bench/domain/memory-audit';
import { createMemoryStore } from '../../../bench/domain/memory-store';
import type { Shard } from '../../../gateway/src/fanout/shards';
import { hostsShape } from '../../../scripts/hosts/shape';
import { generateRegion } from '../../../scripts/seed/region';
import { type InProcessRegion, startRegion } from '../../support/in-process';

const MEMBERS = 30;
const region = generateRegion({
  ...hostsShape(MEMBERS),
  holdersPerMunicipality: 3,
  placementsPerMunicipality: 3,
});
const calls: { subgraph: string; shard: string }[] = [];
let r: InProcessRegion;

beforeAll(async () => {
  r = await startRegion({
    region,
    today: '2026-11-01',
    shards: region.municipalities.map((m) => ({
      codes: [m.code],
      store: async (data) => createMemoryStore(data, [m.code], 0),
      audit: async () => createMemoryAuditStore(),
    })),
    gatewayDeps: {
      onShardCall: ({ subgraph, shard }: { subgraph: string; shard: Shard }) =>
        calls.push({ subgraph, shard: shard.id }),
    },
  });
}, 1_800_000);
afterAll(() => r?.close());

/** The calls one query makes, after checking it answered without errors. */
async function callsOf(query: string, variables: Record<string, unknown> = {}) {
  calls.length = 0;
  const res = await r.query(query, variables);
  expect(res.errors).toBeUndefined();
  return { data: res.data, calls: [...calls] };
}

const last = region.municipalities.at(-1)?.code as string;
const credentialOf = (code: string) => {
  const c = region.credentials.find((x) => x.municipality === code);
  if (!c) throw new Error(`no credential of ${code} in the generated region`);
  return c;
};

describe(`a region of ${MEMBERS} members`, () => {
  it('has every member in its routing table', async () => {
    const { calls: made } = await callsOf('{ credentials(first: 5) { totalCount } }');
    expect(new Set(made.map((c) => c.shard)).size).toBe(MEMBERS);
    expect(made).toHaveLength(MEMBERS);
  });

  it('calls only the owner for a query by one id', async () => {
    const c = credentialOf(last);
    const { data, calls: made } = await callsOf('query One($id: ID!) { credential(id: $id) { id status } }', {
      id: `${last}:${c.localId}`,
    });
    expect(data.credential.id).toBe(`${last}:${c.localId}`);
    expect(made).toEqual([{ subgraph: 'credentials', shard: last }]);
  });

  it('calls only the owner for a verification of one presented credential', async () => {
    const c = credentialOf('SB');
    const { data, calls: made } = await callsOf(
      'query V($id: ID!, $code: String!) { verifyCredential(id: $id, code: $code, destination: "NB") { valid } }',
      { id: `SB:${c.localId}`, code: c.verificationCode },
    );
    expect(typeof data.verifyCredential.valid).toBe('boolean');
    expect(made).toEqual([{ subgraph: 'credentials', shard: 'SB' }]);
  });

  it('calls only the named municipality for a list pruned to it', async () => {
    const { data, calls: made } = await callsOf(
      `{ credentials(first: 10, municipalities: ["${last}"]) { totalCount edges { node { id } } } }`,
    );
    expect(data.credentials.totalCount).toBe(
      region.credentials.filter((c) => c.municipality === last).length,
    );
    expect(made).toEqual([{ subgraph: 'credentials', shard: last }]);
  });
});
