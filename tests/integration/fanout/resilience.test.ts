// Partial failure, pruning and input checks of the fan-out, against real servers on port 0:
// one municipality behind a proxy that tests switch to stalling or answering garbage.
import { request } from 'undici';
import type { Shard } from '../../../gateway/src/fanout/shards';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { type FaultyProxy, repointMembers, startFaultyProxy } from '../../support/faulty-proxy';
import { type InProcessRegion, startRegion } from '../../support/in-process';

const region = generateRegion({
  seed: 11,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 12,
  placementsPerMunicipality: 20,
  crossBorderShare: 0.5,
});
const COOL_DOWN = 30_000;
let now = 1_000_000;
const calls: { subgraph: string; shard: string }[] = [];
let r: InProcessRegion;
let proxy: FaultyProxy;

const idsOf = (conn: { edges: { node: { id: string } }[] }) => conn.edges.map((e) => e.node.id);
const ownedBy = (codes: string[]) =>
  region.credentials
    .filter((c) => codes.includes(c.municipality))
    .map((c) => `${c.municipality}:${c.localId}`);
const ALL = '{ credentials(first: 100) { edges { node { id } } } }';
const health = async () =>
  (await (await request(`${r.gateway.url}/health`)).body.json()) as {
    status: string;
    members: { code: string; healthy: boolean; circuits?: Record<string, string> }[];
  };

beforeAll(async () => {
  r = await startRegion({
    region,
    today: '2026-11-01',
    // A short directory TTL: NB is re-pointed at a proxy after start.
    trust: { directoryTtlMs: 1000 },
    gateway: { shardTimeoutMs: 2000, breakerFailures: 2, breakerCoolDownMs: COOL_DOWN },
    gatewayDeps: {
      circuitClock: () => now,
      onShardCall: ({ subgraph, shard }: { subgraph: string; shard: Shard }) =>
        calls.push({ subgraph, shard: shard.id }),
    },
  });
  const nb = r.shards.find((s) => s.spec.codes.includes('NB'));
  proxy = await startFaultyProxy(nb?.server.url ?? '');
  await repointMembers(r, [
    { code: 'NB', credentialsUrl: proxy.url('/credentials'), workforceUrl: proxy.url('/workforce') },
  ]);
});
afterAll(async () => {
  await r?.close();
  await proxy?.close();
});
beforeEach(async () => {
  // Every test starts with NB healthy and its circuits closed (a probe after the cool-down).
  proxy.mode = 'pass';
  now += COOL_DOWN + 1;
  await r.query(ALL);
  await r.query('{ placements(first: 1) { totalCount } }');
  calls.length = 0;
});

describe('pruning', () => {
  it('calls only the shards the municipalities argument names', async () => {
    const one = await r.query(
      '{ credentials(first: 100, municipalities: ["SB"]) { edges { node { id } } } }',
    );
    expect(idsOf(one.data.credentials).sort()).toEqual(ownedBy(['SB']).sort());
    expect(calls).toEqual([{ subgraph: 'credentials', shard: 'SB' }]);
    calls.length = 0;
    await r.query('{ placements(first: 5, municipalities: ["RV", "NB"]) { totalCount } }');
    expect(calls.map((c) => c.shard).sort()).toEqual(['NB', 'RV']);
    calls.length = 0;
    const none = await r.query(
      '{ placements(first: 5, municipalities: []) { totalCount edges { node { id } } } }',
    );
    expect(none.data.placements).toEqual({ totalCount: 0, edges: [] });
    expect(calls).toEqual([]);
  });

  it('routes a lookup by id prefix to its owner only', async () => {
    const p = region.placements.find((x) => x.municipality === 'RV');
    await r.query(`{ placement(id: "RV:${p?.localId}") { id } }`);
    expect(calls).toEqual([{ subgraph: 'workforce', shard: 'RV' }]);
  });
});

describe('input checks', () => {
  it.each([
    ['garbage', 'not a cursor'],
    ['base64 of a list', Buffer.from('[1,2]').toString('base64url')],
    ['an unknown version', Buffer.from('[2,{"NB":["2020-01-01","NB","C-1"]}]').toString('base64url')],
    ['a shard cursor', Buffer.from('["2020-01-01","NB","C-1"]').toString('base64url')],
    ['an object key', Buffer.from('[1,{"NB":{"a":1}}]').toString('base64url')],
  ])('rejects %s as a cursor with BAD_USER_INPUT', async (_name, after) => {
    const res = await r.query('query($a: String) { credentials(first: 2, after: $a) { totalCount } }', {
      a: after,
    });
    expect(res.data?.credentials ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
    expect(calls).toEqual([]);
  });

  it('bounds first to 0..100', async () => {
    for (const first of [101, -1]) {
      const res = await r.query(`{ placements(first: ${first}) { totalCount } }`);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
    }
    expect(calls).toEqual([]);
  });
});

describe('partial failure', () => {
  it('answers with the others and MUNICIPALITY_TIMEOUT when a municipality stalls', async () => {
    proxy.mode = 'stall';
    const res = await r.query(ALL);
    expect(idsOf(res.data.credentials).sort()).toEqual(ownedBy(['RV', 'SB']).sort());
    expect(res.errors).toEqual([
      {
        message: 'Municipality NB did not answer in time',
        path: ['credentials'],
        extensions: expect.objectContaining({ code: 'MUNICIPALITY_TIMEOUT', municipality: 'NB' }),
      },
    ]);
  });

  it('answers with the others and MUNICIPALITY_UNAVAILABLE when a municipality answers garbage', async () => {
    proxy.mode = 'garbage';
    const res = await r.query(ALL);
    expect(idsOf(res.data.credentials).sort()).toEqual(ownedBy(['RV', 'SB']).sort());
    expect(res.errors?.map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'MUNICIPALITY_UNAVAILABLE', municipality: 'NB' }),
    ]);
    expect(JSON.stringify(res)).not.toMatch(/10\.0\.0\.7|127\.0\.0\.1|http:/);
  });

  it('fails only the entity items whose owner is unreachable, at their own paths', async () => {
    proxy.mode = 'garbage';
    const res = await r.query(
      '{ placements(first: 100, municipalities: ["SB"]) { edges { node { id credential { id status } } } } }',
    );
    const expected = region.placements
      .filter((p) => p.municipality === 'SB')
      .sort((a, b) => (a.startDate + a.localId < b.startDate + b.localId ? -1 : 1));
    const edges = res.data.placements.edges as { node: { id: string; credential: { id: string } | null } }[];
    expect(edges.map((e) => e.node.id)).toEqual(expected.map((p) => `SB:${p.localId}`));
    const failed = expected.flatMap((p, i) => (p.credentialId.startsWith('NB:') ? [i] : []));
    expect(failed.length).toBeGreaterThan(0);
    expected.forEach((p, i) => {
      const got = edges[i]?.node.credential;
      if (failed.includes(i)) expect(got).toBeNull();
      else expect(got?.id).toBe(p.credentialId);
    });
    expect((res.errors ?? []).map((e) => e.path).sort()).toEqual(
      failed.map((i) => ['placements', 'edges', i, 'node', 'credential']).sort(),
    );
    for (const e of res.errors ?? []) {
      expect(e.extensions).toMatchObject({ code: 'MUNICIPALITY_UNAVAILABLE', municipality: 'NB' });
    }
  });

  it('opens the circuit after repeated failures, skips fast, probes after the cool-down and closes', async () => {
    proxy.mode = 'garbage';
    const codes = async () => ((await r.query(ALL)).errors ?? []).map((e) => e.extensions?.code);
    expect(await codes()).toEqual(['MUNICIPALITY_UNAVAILABLE']);
    expect(await codes()).toEqual(['MUNICIPALITY_UNAVAILABLE']);
    const received = proxy.received;
    expect(await codes()).toEqual(['MUNICIPALITY_CIRCUIT_OPEN']);
    expect(await codes()).toEqual(['MUNICIPALITY_CIRCUIT_OPEN']);
    expect(proxy.received).toBe(received);
    const degraded = await health();
    expect(degraded.status).toBe('degraded');
    expect(degraded.members.find((m) => m.code === 'NB')).toMatchObject({
      healthy: false,
      circuits: { credentials: 'open', workforce: 'closed' },
    });
    // After the cool-down one probe goes out; it fails, so the circuit opens again.
    now += COOL_DOWN;
    expect(await codes()).toEqual(['MUNICIPALITY_UNAVAILABLE']);
    expect(proxy.received).toBe(received + 1);
    expect(await codes()).toEqual(['MUNICIPALITY_CIRCUIT_OPEN']);
    // The municipality recovers: the next probe succeeds and calls flow again.
    proxy.mode = 'pass';
    now += COOL_DOWN;
    const healed = await r.query(ALL);
    expect(healed.errors).toBeUndefined();
    expect(idsOf(healed.data.credentials)).toHaveLength(ownedBy(['NB', 'RV', 'SB']).length);
    expect((await r.query(ALL)).errors).toBeUndefined();
    expect(proxy.received).toBe(received + 3);
    expect((await health()).status).toBe('ok');
  });

  it("delivers a failed municipality's records on later pages, so a walk still sees every record once", async () => {
    const page = (after: string | null) =>
      r.query(
        'query($a: String) { credentials(first: 7, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        {
          a: after,
        },
      );
    proxy.mode = 'garbage';
    const first = await page(null);
    expect(first.errors?.[0]?.extensions).toMatchObject({
      code: 'MUNICIPALITY_UNAVAILABLE',
      municipality: 'NB',
    });
    const seen: string[] = idsOf(first.data.credentials);
    expect(seen.some((id) => id.startsWith('NB:'))).toBe(false);
    proxy.mode = 'pass';
    now += COOL_DOWN;
    let after = first.data.credentials.pageInfo.endCursor as string;
    for (;;) {
      const next = await page(after);
      expect(next.errors).toBeUndefined();
      seen.push(...idsOf(next.data.credentials));
      if (!next.data.credentials.pageInfo.hasNextPage) break;
      after = next.data.credentials.pageInfo.endCursor;
    }
    expect(seen.length).toBe(new Set(seen).size);
    expect([...seen].sort()).toEqual(ownedBy(['NB', 'RV', 'SB']).sort());
  });

  it('answers with the others when a municipal server is shut down while the region runs', async () => {
    const rv = r.shards.find((s) => s.spec.codes.includes('RV'));
    await rv?.server.close();
    const res = await r.query(ALL);
    expect(idsOf(res.data.credentials).sort()).toEqual(ownedBy(['NB', 'SB']).sort());
    expect(res.errors?.map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'MUNICIPALITY_UNAVAILABLE', municipality: 'RV' }),
    ]);
  });
});
