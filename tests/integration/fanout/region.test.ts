// The walking skeleton end to end: three municipalities and the registry behind one gateway.

import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { type InProcessRegion, startRegion } from '../../support/in-process';

const region = generateRegion({
  seed: 7,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 60,
  placementsPerMunicipality: 80,
});
let r: InProcessRegion;

beforeAll(async () => {
  r = await startRegion({ region, today: '2026-11-01' });
});
afterAll(() => r?.close());

describe('the regional gateway', () => {
  it('reads a credential issued in one municipality from a placement registered in another', async () => {
    const cross = region.placements.find((p) => !p.credentialId.startsWith(`${p.municipality}:`));
    if (!cross) throw new Error('seed has no cross-border placement');
    const placementId = `${cross.municipality}:${cross.localId}`;
    const res = await r.query(
      `query($id: ID!) { placement(id: $id) { id municipality { code name } credential { id issuer { code name } holder { displayName } } } }`,
      { id: placementId },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.placement.id).toBe(placementId);
    expect(res.data.placement.municipality.code).toBe(cross.municipality);
    expect(res.data.placement.credential.id).toBe(cross.credentialId);
    const [issuer, local] = cross.credentialId.split(':');
    expect(issuer).not.toBe(cross.municipality);
    expect(res.data.placement.credential.issuer.code).toBe(issuer);
    const credential = region.credentials.find((c) => c.municipality === issuer && c.localId === local);
    const holder = region.holders.find(
      (h) => h.municipality === issuer && h.localId === credential?.holderLocalId,
    );
    expect(res.data.placement.credential.holder.displayName).toBe(holder?.displayName);
  });

  it('lists credentials from all three municipalities in one connection', async () => {
    const res = await r.query(
      `{ credentials(first: 100) { totalCount edges { node { id issuer { code } validFrom } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.credentials.totalCount).toBe(region.credentials.length);
    const issuers = new Set(
      res.data.credentials.edges.map((e: { node: { issuer: { code: string } } }) => e.node.issuer.code),
    );
    expect([...issuers].sort()).toEqual(['NB', 'RV', 'SB']);
    const dates = res.data.credentials.edges.map((e: { node: { validFrom: string } }) => e.node.validFrom);
    expect(dates).toEqual([...dates].sort());
  });

  it('joins registry fields onto a municipal credential', async () => {
    const c = region.credentials.find((x) => x.municipality === 'SB' && x.qualificationLocalId === 'Q-002');
    if (!c) throw new Error('seed lacks an SB electrician');
    const res = await r.query(
      `query($id: ID!) { credential(id: $id) { id issuer { code name country } qualification { code title eqfLevel regionalStandard { code eqfLevel occupation { iscoCode title } } } } }`,
      { id: `SB:${c.localId}` },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.credential.issuer).toEqual({ code: 'SB', name: 'Southbank', country: 'PL' });
    expect(res.data.credential.qualification.regionalStandard).toEqual({
      code: 'RS-7411-4',
      eqfLevel: 4,
      occupation: { iscoCode: '7411', title: 'Building and related electricians' },
    });
  });

  it('lists the members from the registry', async () => {
    const res = await r.query('{ municipalities { code name country } }');
    expect(res.data.municipalities.map((m: { code: string }) => m.code)).toEqual(['NB', 'RV', 'SB']);
  });
});
