// The correctness oracle: random regions loaded as three municipalities and as one shard holding
// every code must give identical answers through the gateway, for a fixed set of queries.
import fc from 'fast-check';
import type { RegionData } from '../../../common/region-records';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { seedNative } from '../../../subgraphs/municipal/adapters/native/seed';
import { type FaultyProxy, repointMembers, startFaultyProxy } from '../../support/faulty-proxy';
import { type InProcessRegion, startRegion } from '../../support/in-process';

const CODES = DEMO_MUNICIPALITIES.map((m) => m.code);
const TODAY = '2026-11-01';
const RUNS = Number(process.env.ORACLE_RUNS ?? 50);

let split: InProcessRegion;
let single: InProcessRegion;
/** The failure walks' own pair: their proxies and endpoint changes never reach the other property. */
let walkSplit: InProcessRegion;
let walkSingle: InProcessRegion;

/** The same empty region started twice: as three municipalities, and as one shard holding all. */
function startRegionPair(): Promise<[InProcessRegion, InProcessRegion]> {
  const empty = generateRegion({
    seed: 1,
    municipalities: DEMO_MUNICIPALITIES,
    holdersPerMunicipality: 0,
    placementsPerMunicipality: 0,
  });
  return Promise.all([
    // A short directory TTL: the failure walks re-point the members at proxies after start.
    startRegion({ region: empty, today: TODAY, trust: { directoryTtlMs: 1000 } }),
    startRegion({ region: empty, today: TODAY, shards: [{ codes: CODES }] }),
  ]);
}

beforeAll(async () => {
  [split, single] = await startRegionPair();
}, 120_000);
afterAll(async () => {
  await Promise.all([split?.close(), single?.close()]);
});

/** Replaces every shard's records with the region's (the servers keep running). */
async function load(target: InProcessRegion, region: RegionData) {
  for (const shard of target.shards) {
    const handle = shard.handle;
    if (!handle) throw new Error('the oracle needs native shards');
    await handle.exec(
      'DELETE FROM placement; DELETE FROM credential; DELETE FROM holder; DELETE FROM qualification;',
    );
    await seedNative(handle, region, shard.spec.codes);
  }
}

/** Squeezes dates into a few values so that ties across municipalities are common. */
function withFewDates(region: RegionData, dates: readonly string[]): RegionData {
  const at = (i: number) => dates[i % dates.length] as string;
  return {
    ...region,
    credentials: region.credentials.map((c, i) => ({ ...c, validFrom: at(i * 7) })),
    placements: region.placements.map((p, i) => ({ ...p, startDate: at(i * 5) })),
  };
}

const regionArb = fc
  .record({
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
    holders: fc.integer({ min: 0, max: 3 }),
    placements: fc.integer({ min: 0, max: 4 }),
    cross: fc.double({ min: 0, max: 1, noNaN: true }),
    dates: fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 5 }),
  })
  .map(({ seed, holders, placements, cross, dates }) =>
    withFewDates(
      generateRegion({
        seed,
        municipalities: DEMO_MUNICIPALITIES,
        holdersPerMunicipality: holders,
        placementsPerMunicipality: placements,
        crossBorderShare: cross,
      }),
      dates.map((d) => new Date(Date.UTC(2019, 0, 1 + d * 37)).toISOString().slice(0, 10)),
    ),
  );

const queryArb = fc.record({
  pageSize: fc.integer({ min: 1, max: 4 }),
  scope: fc.subarray(CODES, { minLength: 0 }),
  probe: fc.nat(),
  granularity: fc.constantFrom('YEAR', 'QUARTER', 'MONTH'),
  isco: fc.constantFrom(null, '7', '5', '74'),
});

const CREDENTIAL = `id status validFrom validUntil issuer { code name } holder { id displayName regionalHolderId }
  qualification { id title regionalStandard { code } }`;
const PLACEMENT = `id employer startDate endDate municipality { code }
  credential { id status issuer { code } holder { regionalHolderId } }`;

const FLOWS = `granularity threshold
  cells { from { code } to { code } occupation { iscoCode } period placements suppressed }
  corridors { from { code } to { code } placements suppressed }
  timeSeries { period placements suppressed }
  totals { placements suppressed cells suppressedCells }`;

// biome-ignore lint/suspicious/noExplicitAny: answers are compared whole, fields read loosely.
type Answer = { data?: any; errors?: unknown[] };
type QueryCase = typeof queryArb extends fc.Arbitrary<infer T> ? T : never;

/** An answer with every cursor blanked: cursors name shards, which differ between the layouts. */
function comparable(answer: Answer): unknown {
  return JSON.parse(JSON.stringify(answer), (k, v) => (k === 'cursor' || k === 'endCursor' ? '<cursor>' : v));
}

/** Walks a connection page by page; returns each page and the ids in walk order. */
async function walk(
  target: InProcessRegion,
  field: string,
  selection: string,
  args: string,
  pageSize: number,
) {
  const pages: unknown[] = [];
  const ids: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 200; guard++) {
    const res: Answer = await target.query(
      `query($after: String) { ${field}(first: ${pageSize}, after: $after${args}) {
        totalCount edges { cursor node { ${selection} } } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    expect(res.errors).toBeUndefined();
    pages.push(comparable(res));
    const conn = res.data?.[field];
    if (!conn) break;
    for (const e of conn.edges) ids.push(e.node.id);
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
  }
  return { pages, ids };
}

async function answers(target: InProcessRegion, region: RegionData, q: QueryCase) {
  const scopeArg = `, municipalities: ${JSON.stringify(q.scope)}`;
  const holder = region.holders[q.probe % Math.max(region.holders.length, 1)];
  const placement = region.placements[q.probe % Math.max(region.placements.length, 1)];
  const credential = region.credentials[q.probe % Math.max(region.credentials.length, 1)];
  // Lists, pruned lists, lookups and holder searches: several root fields in one operation.
  const fixed = await target.query(
    `query($r: ID!, $p: ID!, $c: ID!, $h: ID!, $to: [ID!], $g: Granularity, $isco: String) {
      list: credentials(first: 100) { totalCount edges { node { ${CREDENTIAL}
        recognition(in: "NB", at: "2026-11-01") { outcome reason } } } pageInfo { hasNextPage } }
      pruned: credentials(first: 100${scopeArg}) { totalCount edges { node { id } } }
      head: credentials(first: 3) { edges { cursor node { id } } }
      ofHolder: credentialsOfHolder(regionalHolderId: $r) { ${CREDENTIAL} }
      ofHolderPruned: credentialsOfHolder(regionalHolderId: $r${scopeArg}) { id }
      placement(id: $p) { ${PLACEMENT} }
      credential(id: $c) { ${CREDENTIAL} }
      holder(id: $h) { id credentials { id validFrom } }
      missing: credential(id: "RV:C-999999") { id }
      flows: workforceFlows(granularity: $g, isco: $isco) { ${FLOWS} }
      flowsTo: workforceFlows(to: $to, granularity: $g) { ${FLOWS} } }`,
    {
      to: q.scope,
      g: q.granularity,
      isco: q.isco,
      r: holder?.regionalHolderId ?? 'AAAAAAAAAAAA',
      p: placement ? `${placement.municipality}:${placement.localId}` : 'NB:P-000001',
      c: credential ? `${credential.municipality}:${credential.localId}` : 'SB:C-000001',
      h: holder ? `${holder.municipality}:${holder.localId}` : 'NB:H-000001',
    },
  );
  // Identical errors on both sides would hide a broken query: every answer must be clean.
  expect(fixed.errors).toBeUndefined();
  const out: Record<string, unknown> = { fixed: comparable(fixed) };
  // Resuming from an edge's own cursor continues right after that edge.
  const edges = fixed.data?.head.edges ?? [];
  const edgeIndex = q.probe % Math.max(edges.length, 1);
  const edge = edges[edgeIndex];
  let fromEdge: string[] = [];
  if (edge) {
    const res = await target.query(
      `query($a: String) { credentials(first: 2, after: $a) { edges { node { id } } } }`,
      { a: edge.cursor },
    );
    expect(res.errors).toBeUndefined();
    fromEdge = res.data.credentials.edges.map((e: { node: { id: string } }) => e.node.id);
  }
  out.fromEdge = fromEdge;
  const credentials = await walk(target, 'credentials', 'id validFrom issuer { code }', '', q.pageSize);
  const placements = await walk(target, 'placements', PLACEMENT, scopeArg, q.pageSize);
  out.credentialWalk = credentials.pages;
  out.placementWalk = placements.pages;
  return { out, credentialIds: credentials.ids, placementIds: placements.ids, edgeIndex, fromEdge };
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('the fan-out oracle', () => {
  it('answers identically when the region is split over three municipalities or held by one shard', async () => {
    await fc.assert(
      fc.asyncProperty(regionArb, queryArb, async (region, q) => {
        await Promise.all([load(split, region), load(single, region)]);
        const [a, b] = await Promise.all([answers(split, region, q), answers(single, region, q)]);
        expect(a.out).toEqual(b.out);
        // The full walk yields every record exactly once, in the global order.
        const expected = region.credentials
          .map((c) => ({
            id: `${c.municipality}:${c.localId}`,
            key: `${c.validFrom}|${c.municipality}|${c.localId}`,
          }))
          .sort((x, y) => byKey(x.key, y.key))
          .map((c) => c.id);
        expect(a.credentialIds).toEqual(expected);
        // An edge's own cursor resumes right after that edge.
        expect(a.fromEdge).toEqual(expected.slice(a.edgeIndex + 1, a.edgeIndex + 3));
        const inScope = region.placements.filter((p) => q.scope.includes(p.municipality));
        expect(a.placementIds.length).toBe(inScope.length);
        expect(new Set(a.placementIds).size).toBe(inScope.length);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});

const failureArb = fc.record({
  code: fc.constantFrom(...CODES),
  pageSize: fc.integer({ min: 1, max: 4 }),
  /** The first page on which the municipality fails, and for how many pages. */
  from: fc.nat({ max: 3 }),
  pages: fc.integer({ min: 1, max: 3 }),
});
type Failure = typeof failureArb extends fc.Arbitrary<infer T> ? T : never;

const WALK = `query($after: String, $first: Int) { credentials(first: $first, after: $after) {
  totalCount edges { node { id } } pageInfo { hasNextPage endCursor missingMunicipalities } } }`;

/** Walks every page while one municipality fails on the scheduled pages; each page must say what it lacks. */
async function walkWithFailure(region: RegionData, proxies: Map<string, FaultyProxy>, f: Failure) {
  const total = region.credentials.length;
  const theirs = region.credentials.filter((c) => c.municipality === f.code).length;
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 400; page++) {
    const failing = page >= f.from && page < f.from + f.pages;
    (proxies.get(f.code) as FaultyProxy).mode = failing ? 'garbage' : 'pass';
    const res: Answer = await walkSplit.query(WALK, { after, first: f.pageSize });
    const conn = res.data?.credentials;
    if (failing) {
      expect(res.errors?.map((e) => (e as { extensions?: unknown }).extensions)).toEqual([
        expect.objectContaining({ code: 'MUNICIPALITY_UNAVAILABLE', municipality: f.code }),
      ]);
      expect(conn.pageInfo).toMatchObject({ hasNextPage: true, missingMunicipalities: [f.code] });
      expect(conn.totalCount).toBe(total - theirs);
      expect(conn.edges.some((e: { node: { id: string } }) => e.node.id.startsWith(`${f.code}:`))).toBe(
        false,
      );
    } else {
      expect(res.errors).toBeUndefined();
      expect(conn.pageInfo.missingMunicipalities).toEqual([]);
      expect(conn.totalCount).toBe(total);
    }
    for (const e of conn.edges) ids.push(e.node.id);
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
  }
  (proxies.get(f.code) as FaultyProxy).mode = 'pass';
  return ids;
}

describe('the fan-out oracle with a municipality failing during page walks', () => {
  const proxies = new Map<string, FaultyProxy>();
  beforeAll(async () => {
    [walkSplit, walkSingle] = await startRegionPair();
    // Every municipality of the split region behind a proxy; a run makes one of them fail.
    for (const shard of walkSplit.shards) {
      const code = shard.spec.codes[0] as string;
      proxies.set(code, await startFaultyProxy(shard.server.url));
    }
    await repointMembers(
      walkSplit,
      [...proxies].map(([code, proxy]) => ({
        code,
        credentialsUrl: proxy.url('/credentials'),
        workforceUrl: proxy.url('/workforce'),
      })),
    );
  }, 300_000);
  afterAll(async () => {
    for (const proxy of proxies.values()) await proxy.close();
    await Promise.all([walkSplit?.close(), walkSingle?.close()]);
  });

  it('delivers what the one database holds, each record once, when walks resume after the failure', async () => {
    await fc.assert(
      fc.asyncProperty(regionArb, failureArb, async (region, failure) => {
        await Promise.all([load(walkSplit, region), load(walkSingle, region)]);
        const walked = await walkWithFailure(region, proxies, failure);
        const oneDatabase = await walk(walkSingle, 'credentials', 'id', '', failure.pageSize);
        expect(new Set(walked).size).toBe(walked.length);
        expect([...walked].sort(byKey)).toEqual([...oneDatabase.ids].sort(byKey));
      }),
      { numRuns: Math.max(1, Math.ceil(RUNS / 4)) },
    );
  }, 600_000);
});
