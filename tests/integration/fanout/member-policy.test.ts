// What the gateway does per member, against real servers on port 0 with one municipality behind a
// proxy that tests switch: its own timeout, a bounded queue, hedged reads, write retries with the
// same idempotency key, circuits forgotten when it leaves, and the background probe of circuits
// and of the registry.
import { eq } from 'drizzle-orm';
import { request } from 'undici';
import type { Shard } from '../../../gateway/src/fanout/shards';
import type { RegionHealth } from '../../../gateway/src/membership/health';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { municipality } from '../../../subgraphs/registry/db/schema';
import { type MemberCallSettings, setMemberCallSettings } from '../../../subgraphs/registry/seed';
import { type FaultyProxy, repointMembers, startFaultyProxy } from '../../support/faulty-proxy';
import { type InProcessRegion, startRegion } from '../../support/in-process';

const region = generateRegion({
  seed: 14,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 12,
  placementsPerMunicipality: 10,
  crossBorderShare: 0.5,
});
const COOL_DOWN = 30_000;
let now = 1_000_000;
const calls: { subgraph: string; shard: string; outcome: boolean; attempts: number }[] = [];
let r: InProcessRegion;
let proxy: FaultyProxy;

const ALL = '{ credentials(first: 100) { edges { node { id } } } }';
const idsOf = (res: { data?: { credentials: { edges: { node: { id: string } }[] } } }) =>
  (res.data?.credentials.edges ?? []).map((e) => e.node.id).sort();
const ownedBy = (codes: string[]) =>
  region.credentials
    .filter((c) => codes.includes(c.municipality))
    .map((c) => `${c.municipality}:${c.localId}`)
    .sort();
const health = async () => (await (await request(`${r.gateway.url}/health`)).body.json()) as RegionHealth;
const nb = () => r.gateway.health().members.find((m) => m.code === 'NB');

/** Waits for a condition with a generous bound (never a fixed sleep). */
async function until(condition: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** NB's directory entry: the given call settings, every other one back to the gateway's default. */
async function settings(s: Omit<MemberCallSettings, 'code'> = {}) {
  await setMemberCallSettings(r.registryHandle, {
    code: 'NB',
    timeoutMs: null,
    hedgeReads: false,
    maxInFlight: null,
    maxQueued: null,
    ...s,
  });
  await r.gateway.membership.refresh();
}

const setStatus = async (status: 'ACTIVE' | 'SUSPENDED') => {
  await r.registryHandle.db.update(municipality).set({ status }).where(eq(municipality.code, 'NB'));
  await r.gateway.membership.refresh();
};

beforeAll(async () => {
  r = await startRegion({
    region,
    today: '2026-11-01',
    // A short directory TTL: NB is re-pointed at a proxy after start.
    trust: { directoryTtlMs: 1000 },
    // A global timeout far beyond the tests' own: only a member's own timeout can end a stall.
    gateway: {
      shardTimeoutMs: 120_000,
      breakerFailures: 2,
      breakerCoolDownMs: COOL_DOWN,
      healthProbeMs: 100,
    },
    gatewayDeps: {
      circuitClock: () => now,
      onShardCall: ({
        subgraph,
        shard,
        outcome,
        attempts,
      }: {
        subgraph: string;
        shard: Shard;
        outcome: boolean;
        attempts: number;
      }) => calls.push({ subgraph, shard: shard.id, outcome, attempts }),
    },
  });
  const server = r.shards.find((s) => s.spec.codes.includes('NB'));
  proxy = await startFaultyProxy(server?.server.url ?? '');
  await repointMembers(r, [
    { code: 'NB', credentialsUrl: proxy.url('/credentials'), workforceUrl: proxy.url('/workforce') },
  ]);
}, 180_000);
afterAll(async () => {
  await r?.close();
  await proxy?.close();
});
beforeEach(async () => {
  // Every test starts with NB passing, its defaults, and its circuits closed (a probe after the cool-down).
  proxy.mode = 'pass';
  await proxy.release();
  await settings();
  now += COOL_DOWN + 1;
  expect((await r.query(ALL)).errors).toBeUndefined();
  calls.length = 0;
});

describe('a member’s own call settings from the directory', () => {
  it('times out a stalled member after its own timeout, not the global one', async () => {
    await settings({ timeoutMs: 300 });
    proxy.mode = 'stall';
    const res = await r.query(ALL);
    expect(idsOf(res)).toEqual(ownedBy(['RV', 'SB']));
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['credentials'],
        extensions: expect.objectContaining({ code: 'MUNICIPALITY_TIMEOUT', municipality: 'NB' }),
      }),
    ]);
  }, 40_000);

  it('refuses a member’s part at once with MUNICIPALITY_OVERLOADED beyond its queue, serving the others', async () => {
    await settings({ maxInFlight: 1, maxQueued: 1 });
    proxy.mode = 'stall';
    const settled: string[] = [];
    const first = r.query(ALL).finally(() => settled.push('first'));
    await until(() => proxy.stalled === 1, 'the first call to stall at NB');
    const second = r.query(ALL).finally(() => settled.push('second'));
    await until(() => nb()?.load?.credentials.queued === 1, 'the second call to wait in NB’s queue');
    const received = proxy.received;
    const third = await r.query(ALL);
    expect(idsOf(third)).toEqual(ownedBy(['RV', 'SB']));
    expect(third.errors).toEqual([
      expect.objectContaining({
        path: ['credentials'],
        extensions: expect.objectContaining({ code: 'MUNICIPALITY_OVERLOADED', municipality: 'NB' }),
      }),
    ]);
    expect(settled).toEqual([]);
    expect(proxy.received).toBe(received);
    // Once NB answers, the call in flight and the one in line both complete.
    proxy.mode = 'pass';
    await proxy.release();
    for (const res of await Promise.all([first, second])) {
      expect(res.errors).toBeUndefined();
      expect(idsOf(res)).toEqual(ownedBy(['NB', 'RV', 'SB']));
    }
    expect(nb()?.load?.credentials).toEqual({ inFlight: 0, queued: 0 });
  }, 60_000);

  it('hedges a stalled read of a member that allows it: a second request answers', async () => {
    await settings({ hedgeReads: true });
    // Enough answered reads for a latency estimate.
    for (let i = 0; i < 12; i++) expect((await r.query(ALL)).errors).toBeUndefined();
    calls.length = 0;
    const received = proxy.received;
    proxy.once('stall');
    const res = await r.query(ALL);
    expect(res.errors).toBeUndefined();
    expect(idsOf(res)).toEqual(ownedBy(['NB', 'RV', 'SB']));
    expect(proxy.received).toBe(received + 2);
    expect(calls.filter((c) => c.shard === 'NB')).toEqual([
      { subgraph: 'credentials', shard: 'NB', outcome: true, attempts: 2 },
    ]);
  }, 40_000);

  it('does not hedge a member that does not allow it', async () => {
    for (let i = 0; i < 12; i++) expect((await r.query(ALL)).errors).toBeUndefined();
    await settings({ timeoutMs: 1500 });
    const received = proxy.received;
    proxy.once('stall');
    const res = await r.query(ALL);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['MUNICIPALITY_TIMEOUT']);
    expect(proxy.received).toBe(received + 1);
  }, 40_000);
});

describe('writes whose answer was lost', () => {
  it('retries with the same idempotency key, so the write is applied exactly once', async () => {
    await settings({ timeoutMs: 3000 });
    const token = await r.token({ subject: 'officer-nb', role: 'officer', municipality: 'NB' });
    const officer = { authorization: `Bearer ${token}` };
    const target = region.credentials.find((c) => c.municipality === 'NB' && c.status === 'ACTIVE');
    const id = `NB:${target?.localId}`;
    const received = proxy.received;
    // The first attempt reaches NB and is applied there; its answer never comes back.
    proxy.once('swallow');
    const res = await r.query(
      `mutation { revokeCredential(id: "${id}", idempotencyKey: "lost-answer-0001", reason: "Inspection") { id status } }`,
      {},
      officer,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.revokeCredential).toEqual({ id, status: 'REVOKED' });
    expect(proxy.received).toBeGreaterThanOrEqual(received + 2);
    expect(calls.find((c) => c.shard === 'NB')?.attempts).toBeGreaterThanOrEqual(2);
    const history = await r.query(`{ credential(id: "${id}") { history { operation } } }`, {}, officer);
    expect(history.errors).toBeUndefined();
    const revocations = (history.data.credential.history as { operation: string }[]).filter(
      (h) => h.operation === 'revokeCredential',
    );
    expect(revocations).toHaveLength(1);
  }, 60_000);
});

describe('circuits', () => {
  it('forgets the circuit of a member that left: when it rejoins, it is called again at once', async () => {
    proxy.mode = 'garbage';
    await r.query(ALL);
    await r.query(ALL);
    expect((await r.query(ALL)).errors?.map((e) => e.extensions?.code)).toEqual([
      'MUNICIPALITY_CIRCUIT_OPEN',
    ]);
    expect(nb()?.circuits?.credentials).toBe('open');
    await setStatus('SUSPENDED');
    await setStatus('ACTIVE');
    proxy.mode = 'pass';
    // The clock has not moved: only a forgotten circuit lets this call through.
    const res = await r.query(ALL);
    expect(res.errors).toBeUndefined();
    expect(idsOf(res)).toEqual(ownedBy(['NB', 'RV', 'SB']));
    expect(nb()?.circuits?.credentials).toBe('closed');
  });

  it('closes the circuit of a member that came back without waiting for a request', async () => {
    proxy.mode = 'garbage';
    await r.query(ALL);
    await r.query(ALL);
    expect(await health()).toMatchObject({ status: 'degraded' });
    expect(nb()).toMatchObject({ healthy: false, circuits: { credentials: 'open' } });
    proxy.mode = 'pass';
    calls.length = 0;
    now += COOL_DOWN;
    const received = proxy.received;
    await until(async () => (await health()).status === 'ok', 'the background probe to close the circuit');
    expect(nb()).toMatchObject({ healthy: true, circuits: { credentials: 'closed', workforce: 'closed' } });
    expect(calls).toEqual([]);
    expect(proxy.received).toBeGreaterThan(received);
  }, 40_000);
});

describe('the registry', () => {
  // Last: it stops the registry.
  it('is reported unreachable, and the region degraded, while it does not answer', async () => {
    expect(await health()).toMatchObject({ status: 'ok', registry: { reachable: true } });
    await r.registry.close();
    await until(async () => (await health()).status === 'degraded', '/health to notice the registry is gone');
    const seen = await health();
    expect(seen.registry).toMatchObject({ reachable: false });
    expect(seen.members.every((m) => m.healthy)).toBe(true);
    // The members still answer what does not need the registry.
    expect(idsOf(await r.query(ALL))).toEqual(ownedBy(['NB', 'RV', 'SB']));
  }, 40_000);
});
