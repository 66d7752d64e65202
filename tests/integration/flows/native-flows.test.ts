// The native store computes workforce-flow counts in SQL, matching a count over the seed data.

import { openPostgres, type PgHandle } from '../../../common/postgres';
import { verificationHash } from '../../../common/region-records';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { openNativeStore } from '../../../subgraphs/municipal/adapters/native';
import { createNativeTables, seedNative } from '../../../subgraphs/municipal/adapters/native/seed';
import type { MunicipalStore } from '../../../subgraphs/municipal/store';

const region = generateRegion({
  seed: 5,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 40,
  placementsPerMunicipality: 300,
});
let handle: PgHandle;
let store: MunicipalStore;

beforeAll(async () => {
  handle = await openPostgres({ kind: 'pglite' });
  await createNativeTables(handle);
  await seedNative(handle, region, ['NB', 'SB']);
  store = await openNativeStore(handle, ['NB', 'SB']);
});
afterAll(() => handle?.close());

describe('native store: flows and verification hashes', () => {
  it('groups placements by origin, destination, occupation and year like a count over the data', async () => {
    const rows = await store.placementFlows({
      from: null,
      to: null,
      iscoPrefix: '7',
      startFrom: '2021-01-01',
      startTo: '2024-12-31',
      granularity: 'YEAR',
    });
    const expected = new Map<string, number>();
    for (const p of region.placements) {
      if (!['NB', 'SB'].includes(p.municipality) || !p.iscoCode.startsWith('7')) continue;
      if (p.startDate < '2021-01-01' || p.startDate > '2024-12-31') continue;
      const k = `${p.credentialId.split(':')[0]}|${p.municipality}|${p.iscoCode}|${p.startDate.slice(0, 4)}`;
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    const actual = new Map(rows.map((r) => [`${r.from}|${r.to}|${r.iscoCode}|${r.period}`, r.placements]));
    expect(actual).toEqual(expected);
  });

  it('labels quarters and months and filters by origin and destination', async () => {
    const q = await store.placementFlows({
      from: ['RV'],
      to: ['SB'],
      iscoPrefix: null,
      startFrom: null,
      startTo: null,
      granularity: 'QUARTER',
    });
    expect(q.length).toBeGreaterThan(0);
    for (const r of q) {
      expect(r.from).toBe('RV');
      expect(r.to).toBe('SB');
      expect(r.period).toMatch(/^\d{4}-Q[1-4]$/);
    }
    const m = await store.placementFlows({
      from: null,
      to: ['NB'],
      iscoPrefix: null,
      startFrom: null,
      startTo: null,
      granularity: 'MONTH',
    });
    for (const r of m) expect(r.period).toMatch(/^\d{4}-\d{2}$/);
    const total = m.reduce((n, r) => n + r.placements, 0);
    expect(total).toBe(region.placements.filter((p) => p.municipality === 'NB').length);
  });

  it('returns the stored hash of a verification code, null for unknown ids', async () => {
    const c = region.credentials.find((x) => x.municipality === 'SB');
    const [hash, none] = await store.verificationHashesByIds([`SB:${c?.localId}`, 'SB:C-999999']);
    expect(hash).toBe(verificationHash(c?.verificationCode ?? ''));
    expect(none).toBeNull();
  });
});
