// Oracle: a region whose members keep three different legacy schemas answers exactly as the same
// region held in one native database, for pages, lookups, holder searches and flows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { pgLedgerAdapter } from '../../../subgraphs/municipal/adapters/pg-ledger';
import { pgNormalisedAdapter } from '../../../subgraphs/municipal/adapters/pg-normalised';
import { sqliteCamelAdapter } from '../../../subgraphs/municipal/adapters/sqlite-camel';
import { type InProcessRegion, startRegion } from '../../support/in-process';
import { legacyShard } from '../../support/legacy-shards';

const region = generateRegion({
  seed: 29,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 35,
  placementsPerMunicipality: 50,
});
const dir = mkdtempSync(join(tmpdir(), 'crossgate-legacy-oracle-'));
let legacy: InProcessRegion;
let native: InProcessRegion;

beforeAll(async () => {
  const today = '2026-11-01';
  legacy = await startRegion({
    region,
    today,
    shards: [
      legacyShard('NB', pgNormalisedAdapter, join(dir, 'nb')),
      legacyShard('SB', sqliteCamelAdapter, join(dir, 'sb.sqlite')),
      legacyShard('RV', pgLedgerAdapter, join(dir, 'rv')),
    ],
  });
  native = await startRegion({ region, today, shards: [{ codes: ['NB', 'SB', 'RV'] }] });
}, 180_000);
afterAll(async () => {
  await legacy?.close();
  await native?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Cursors name the shard layout, which differs by design; everything else must be equal. */
const withoutCursors = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (k, v) => (k === 'cursor' || k === 'endCursor' ? undefined : v)));

async function same(query: string, variables?: Record<string, unknown>) {
  const [a, b] = await Promise.all([legacy.query(query, variables), native.query(query, variables)]);
  expect(a.errors).toBeUndefined();
  expect(a).toEqual(b);
  return a.data;
}

/** Walks `pages` pages of a connection in both regions, each with its own cursors. */
async function samePages(query: string, field: string, pages: number) {
  const after = new Map<InProcessRegion, string | null>([
    [legacy, null],
    [native, null],
  ]);
  for (let page = 0; page < pages; page++) {
    const [a, b] = await Promise.all(
      [legacy, native].map((r) => r.query(query, { after: after.get(r) ?? null })),
    );
    expect(a?.errors).toBeUndefined();
    expect(withoutCursors(a)).toEqual(withoutCursors(b));
    after.set(legacy, a?.data[field].pageInfo.endCursor);
    after.set(native, b?.data[field].pageInfo.endCursor);
    expect(a?.data[field].edges.length).toBeGreaterThan(0);
  }
}

const CREDENTIAL = `id status validFrom validUntil issuer { code }
  holder { id displayName regionalHolderId credentials { id } }
  qualification { id code title eqfLevel regionalStandard { code } }`;

describe('legacy schemas against one native database', () => {
  it('pages credentials identically across page boundaries', async () => {
    await samePages(
      `query($after: String) { credentials(first: 40, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${CREDENTIAL} } } } }`,
      'credentials',
      3,
    );
  });

  it('pages placements and resolves the credential each names, wherever it was issued', async () => {
    await samePages(
      `query($after: String) { placements(first: 45, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        edges { node { id employer startDate endDate municipality { code } credential { id status } } } } }`,
      'placements',
      2,
    );
  });

  it('finds a person across every municipality by regional holder id', async () => {
    const travellers = region.holders.filter(
      (h) => region.holders.filter((x) => x.regionalHolderId === h.regionalHolderId).length > 1,
    );
    for (const h of travellers.slice(0, 4)) {
      await same(`query($r: ID!) { credentialsOfHolder(regionalHolderId: $r) { ${CREDENTIAL} } }`, {
        r: h.regionalHolderId,
      });
    }
  });

  it('counts the same workforce flows', async () => {
    await same(`{ workforceFlows(granularity: QUARTER, isco: "7", period: { from: "2020-01-01" }) {
      cells { from { code } to { code } occupation { iscoCode } period placements suppressed }
      totals { placements cells suppressedCells } } }`);
  });

  it('counts the same placements by recognition outcome, each register grouping its own', async () => {
    const query = (to: string) => `{ workforceFlows${to ? `(to: ["${to}"])` : ''} {
      totals { placements } recognition { outcome placements share suppressed } } }`;
    for (const to of ['NB', 'SB', 'RV']) await same(query(to));
    const whole = await same(query(''));
    const published = whole.workforceFlows.recognition.filter(
      (r: { placements: number | null }) => (r.placements ?? 0) > 0,
    );
    expect(published.length).toBeGreaterThanOrEqual(2);
  });
});
