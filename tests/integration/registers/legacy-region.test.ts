// A region whose municipalities keep three different legacy schemas, behind one gateway; one of
// them holds bad rows, which come back as per-record errors beside the good data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { pgLedgerAdapter } from '../../../subgraphs/municipal/adapters/pg-ledger';
import { pgNormalisedAdapter } from '../../../subgraphs/municipal/adapters/pg-normalised';
import { sqliteCamelAdapter } from '../../../subgraphs/municipal/adapters/sqlite-camel';
import { BAD, sqliteTarget } from '../../adapters/targets';
import { type InProcessRegion, startRegion } from '../../support/in-process';
import { legacyShard } from '../../support/legacy-shards';

const region = generateRegion({
  seed: 13,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 30,
  placementsPerMunicipality: 60,
});
const dir = mkdtempSync(join(tmpdir(), 'crossgate-legacy-region-'));
let r: InProcessRegion;

beforeAll(async () => {
  r = await startRegion({
    region,
    today: '2026-11-01',
    shards: [
      legacyShard('NB', pgNormalisedAdapter, join(dir, 'nb')),
      legacyShard('SB', sqliteCamelAdapter, join(dir, 'sb.sqlite'), (db) =>
        sqliteTarget.exec(db, sqliteTarget.corruptions),
      ),
      legacyShard('RV', pgLedgerAdapter, join(dir, 'rv')),
    ],
  });
}, 180_000);
afterAll(async () => {
  await r?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a region of legacy databases', () => {
  it('pages credentials from three legacy schemas in one global order', async () => {
    const res = await r.query(
      `{ credentials(first: 100, municipalities: ["NB", "RV"]) { totalCount edges { node { id validFrom } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const nodes: { id: string; validFrom: string }[] = res.data.credentials.edges.map(
      (e: { node: unknown }) => e.node,
    );
    const expected = region.credentials
      .filter((c) => c.municipality !== 'SB')
      .map((c) => ({ id: `${c.municipality}:${c.localId}`, validFrom: c.validFrom }))
      .sort((a, b) =>
        a.validFrom !== b.validFrom ? (a.validFrom < b.validFrom ? -1 : 1) : a.id < b.id ? -1 : 1,
      )
      .slice(0, 100);
    expect(nodes).toEqual(expected);
  });

  it('answers a bad legacy row with INVALID_RECORD naming municipality and record, beside good data', async () => {
    const good = region.credentials.find((c) => c.municipality === 'SB');
    const res = await r.query(
      `query($bad: ID!, $good: ID!) {
        bad: credential(id: $bad) { id status }
        good: credential(id: $good) { id status holder { displayName } qualification { title } }
      }`,
      { bad: `SB:${BAD.unknownStatus}`, good: `SB:${good?.localId}` },
    );
    expect(res.data.good.id).toBe(`SB:${good?.localId}`);
    expect(res.data.bad).toBeNull();
    expect(res.errors).toHaveLength(1);
    const [error] = res.errors ?? [];
    expect(error?.extensions).toMatchObject({
      code: 'INVALID_RECORD',
      municipality: 'SB',
      recordId: `SB:${BAD.unknownStatus}`,
    });
    expect(error?.message).toContain(`SB:${BAD.unknownStatus}`);
    expect(JSON.stringify(res)).not.toMatch(/SELECT|sqlite|\bat \w+ \(/i);
  });

  it('reports every bad row of a page as its own error and returns the rest', async () => {
    const res = await r.query(
      `{ credentials(first: 100, municipalities: ["SB"]) { edges { node { id } } } }`,
    );
    const ids = res.data.credentials.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toHaveLength(region.credentials.filter((c) => c.municipality === 'SB').length);
    const invalid = (res.errors ?? []).filter((e) => e.extensions?.code === 'INVALID_RECORD');
    expect(invalid.map((e) => e.extensions?.recordId).sort()).toEqual(
      [BAD.malformedDate, BAD.unknownStatus, BAD.danglingQualification].map((l) => `SB:${l}`).sort(),
    );
    for (const e of invalid) expect(e.extensions?.municipality).toBe('SB');
  });
});
