// The gateway keeps the registry's reference answers while the registry version stands still, drops
// them on a write, and never keeps what a municipality answers: each access still reaches its owner.

import { StatementCounter } from '../../../common/postgres';
import { REFERENCE_FRESH_MS } from '../../../gateway/src/datasources/reference-cache';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { asOfficer, asRegistryAdmin } from '../../support/callers';
import { type InProcessRegion, startRegion } from '../../support/in-process';

const region = generateRegion({
  seed: 11,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 30,
  placementsPerMunicipality: 10,
});
const registryStatements = new StatementCounter();
/** The cache's clock: it moves only when a test moves it. */
let clock = Date.parse('2026-11-01T12:00:00Z');
let r: InProcessRegion;

beforeAll(async () => {
  r = await startRegion({
    region,
    gatewayDeps: { referenceClock: () => clock },
    registryCounter: registryStatements,
  });
}, 180_000);
afterAll(() => r?.close());

/** A Southbank credential whose qualification is mapped to a regional standard. */
const credential = region.credentials.find((c) => {
  if (c.municipality !== 'SB') return false;
  return region.qualifications.some(
    (q) => q.municipality === 'SB' && q.localId === c.qualificationLocalId && q.standardCode,
  );
});
const credentialId = `SB:${credential?.localId}`;
const qualificationId = `SB:${credential?.qualificationLocalId}`;

const CREDENTIAL = `query($id: ID!) {
  credential(id: $id) { id status issuer { code name } qualification { id regionalStandard { code title } } }
}`;

async function ask() {
  const res = await r.query(CREDENTIAL, { id: credentialId }, asOfficer('SB'));
  expect(res.errors).toBeUndefined();
  return res.data.credential;
}

const southbank = () => {
  const shard = r.shards.find((s) => s.spec.codes.includes('SB'));
  if (!shard) throw new Error('no Southbank shard');
  return shard;
};

describe('reference data kept at the gateway', () => {
  it('answers again from what it kept, while every access still reaches the owner and its audit log', async () => {
    expect(credential).toBeDefined();
    const first = await ask();
    expect(first.qualification.regionalStandard).not.toBeNull();
    const logged = (await southbank().audit.readAll()).length;
    registryStatements.reset();
    southbank().counter.reset();
    const again = await ask();
    expect(again).toEqual(first);
    // Nothing reached the registry; the owner was asked and logged the access.
    expect(registryStatements.count).toBe(0);
    expect(southbank().counter.count).toBeGreaterThan(0);
    const entries = await southbank().audit.readAll();
    expect(entries.length).toBeGreaterThan(logged);
    expect(entries.at(-1)?.recordIds).toContain(credentialId);
  });

  it('shows a registry write it was not told of once the registry version was last confirmed a second ago', async () => {
    const before = await ask();
    const code = before.qualification.regionalStandard.code as string;
    await r.registryHandle.exec(
      `UPDATE regional_standard SET title = 'Renamed by the governance body' WHERE code = '${code}'`,
    );
    clock += REFERENCE_FRESH_MS + 1;
    const after = await ask();
    expect(after.qualification.regionalStandard).toEqual({ code, title: 'Renamed by the governance body' });
    expect(await ask()).toEqual(after);
  });

  it('drops what it kept as soon as a write through the gateway answers with a new version', async () => {
    const before = await ask();
    expect(before.qualification.regionalStandard).not.toBeNull();
    const res = await r.query(
      `mutation($q: ID!) { unmapQualification(qualificationId: $q, idempotencyKey: "unmap-reference-1", reason: "withdrawn") { id } }`,
      { q: qualificationId },
      asRegistryAdmin(),
    );
    expect(res.errors).toBeUndefined();
    // The clock has not moved: only the version in the write's answer can have dropped the copy.
    const after = await ask();
    expect(after.qualification).toEqual({ id: qualificationId, regionalStandard: null });
  });
});
