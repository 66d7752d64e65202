// The fan-out routes entity fetches by id prefix: one batched call per owner, order kept,
// and an item whose owner is unknown fails alone.
import type { Shard } from '../../../gateway/src/fanout/shards';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { placement } from '../../../subgraphs/municipal/adapters/native/schema';
import { type InProcessRegion, startRegion } from '../../support/in-process';

const region = generateRegion({
  seed: 3,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 50,
  placementsPerMunicipality: 60,
});
const calls: { subgraph: string; shard: string }[] = [];
let r: InProcessRegion;

beforeAll(async () => {
  r = await startRegion({
    region,
    today: '2026-11-01',
    gatewayDeps: {
      onShardCall: ({ subgraph, shard }: { subgraph: string; shard: Shard }) =>
        calls.push({ subgraph, shard: shard.id }),
    },
  });
  // A placement whose credential reference names a municipality that is not a member.
  const nb = r.shards.find((s) => s.spec.codes.includes('NB'));
  await nb?.handle?.db.insert(placement).values({
    municipality: 'NB',
    localId: 'P-000000',
    credentialId: 'ZZ:C-000001',
    iscoCode: '7411',
    employer: 'Nowhere Ltd',
    startDate: '2000-01-01',
    endDate: null,
  });
});
afterAll(() => r?.close());

describe('entity routing', () => {
  it('sends one batched _entities call per owning municipality and keeps the order', async () => {
    calls.length = 0;
    const res = await r.query(
      `{ placements(first: 40, municipalities: ["SB"]) { edges { node { id credential { id holder { id } } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const edges = res.data.placements.edges as {
      node: { id: string; credential: { id: string; holder: { id: string } } };
    }[];
    const expected = region.placements
      .filter((p) => p.municipality === 'SB')
      .sort((a, b) => (a.startDate + a.localId < b.startDate + b.localId ? -1 : 1))
      .slice(0, 40);
    expect(edges.map((e) => e.node.id)).toEqual(expected.map((p) => `SB:${p.localId}`));
    for (const [i, e] of edges.entries()) {
      expect(e.node.credential.id).toBe(expected[i]?.credentialId);
      expect(e.node.credential.holder.id.split(':')[0]).toBe(e.node.credential.id.split(':')[0]);
    }
    const owners = new Set(edges.map((e) => e.node.credential.id.split(':')[0]));
    const credentialCalls = calls.filter((c) => c.subgraph === 'credentials');
    expect(credentialCalls.map((c) => c.shard).sort()).toEqual([...owners].sort());
    expect(calls.filter((c) => c.subgraph === 'workforce')).toEqual([{ subgraph: 'workforce', shard: 'SB' }]);
  });

  it('fails only the item whose owner is not a member', async () => {
    const res = await r.query(
      `{ placements(first: 3, municipalities: ["NB"]) { edges { node { id credential { id status } } } } }`,
    );
    const edges = res.data.placements.edges as {
      node: { id: string; credential: { status: string } | null };
    }[];
    expect(edges[0]?.node.id).toBe('NB:P-000000');
    expect(edges[0]?.node.credential).toBeNull();
    expect(edges[1]?.node.credential?.status).toBeDefined();
    expect(edges[2]?.node.credential?.status).toBeDefined();
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UNKNOWN_MUNICIPALITY', municipality: 'ZZ' });
    expect(res.errors?.[0]?.path).toEqual(['placements', 'edges', 0, 'node', 'credential']);
  });

  it('routes a root lookup to its owner only, and rejects a malformed id with INVALID_ID', async () => {
    calls.length = 0;
    const c = region.credentials.find((x) => x.municipality === 'RV');
    const ok = await r.query(`query($id: ID!) { credential(id: $id) { id } }`, { id: `RV:${c?.localId}` });
    expect(ok.data.credential.id).toBe(`RV:${c?.localId}`);
    expect(calls).toEqual([{ subgraph: 'credentials', shard: 'RV' }]);
    const bad = await r.query(`{ credential(id: "not-an-id") { id } }`);
    expect(bad.data.credential).toBeNull();
    expect(bad.errors?.[0]?.extensions?.code).toBe('INVALID_ID');
    const unknown = await r.query(`{ credential(id: "ZZ:C-1") { id } }`);
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'UNKNOWN_MUNICIPALITY',
      municipality: 'ZZ',
    });
  });
});
