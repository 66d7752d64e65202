// A register onboarded by its mapping alone (registro-titulos: (year, number) keys, one-letter states,
// no employer column) joins a running region as Southbank through the registry's admitMember and
// mapQualification mutations (no SQL, no restart), then serves cross-border reads, verification with
// recognition, an officer's suspension in the register's own keys, and placements without an employer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RegionData, recordsOf } from '../../../common/region-records';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { fixtureIds } from '../../../subgraphs/municipal/adapters/kit/fixtures';
import { registroTitulosAdapter } from '../../../subgraphs/municipal/adapters/registro-titulos';
import { postgresRegistroTarget } from '../../adapters/targets';
import { asEmployer, asOfficer, asRegistryAdmin } from '../../support/callers';
import { type InProcessRegion, startRegion } from '../../support/in-process';
import { legacyShard } from '../../support/legacy-shards';

const TODAY = '2026-11-01';
const region = generateRegion({
  seed: 11,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 60,
  placementsPerMunicipality: 30,
});
const sb = recordsOf(region, ['SB']);
/** The region before Southbank joins: its registry knows nothing of it. */
const withoutSb: RegionData = {
  ...region,
  municipalities: region.municipalities.filter((m) => m.code !== 'SB'),
  qualifications: region.qualifications.filter((q) => q.municipality !== 'SB'),
  holders: region.holders.filter((h) => h.municipality !== 'SB'),
  credentials: region.credentials.filter((c) => c.municipality !== 'SB'),
  placements: region.placements.filter((p) => p.municipality !== 'SB'),
};
const ids = fixtureIds(registroTitulosAdapter.mapping, sb);
const dir = mkdtempSync(join(tmpdir(), 'crossgate-onboarded-'));
let database = '';
let r: InProcessRegion;

beforeAll(async () => {
  database = await postgresRegistroTarget.create();
  r = await startRegion({
    region: withoutSb,
    today: TODAY,
    now: () => new Date(`${TODAY}T12:00:00Z`),
    shards: [{ codes: ['NB'] }],
  });
  // Southbank's subgraph starts over its register with its own key, unknown to the region so far.
  const shard = await r.addShard(
    { ...legacyShard('SB', registroTitulosAdapter, database), admitKeys: false },
    region,
  );
  // Step 7 of docs/onboarding.md: a registry administrator admits it and maps its qualifications.
  const { kid, kty, crv, x } = shard.keyring.current.publicJwk;
  const admitted = await r.query(
    `mutation($input: AdmitMemberInput!) { admitMember(input: $input, idempotencyKey: "admit-SB-0001", reason: "joins the region") { code status } }`,
    {
      input: {
        code: 'SB',
        name: 'Southbank',
        country: 'PL',
        credentialsUrl: shard.server.credentialsUrl,
        workforceUrl: shard.server.workforceUrl,
        keys: [{ kid, kty, crv, x }],
      },
    },
    asRegistryAdmin(),
  );
  if (admitted.errors) throw new Error(`admitMember failed: ${JSON.stringify(admitted.errors)}`);
  for (const q of sb.qualifications.filter((q) => q.standardCode !== null)) {
    const mapped = await r.query(
      `mutation($q: ID!, $s: ID!, $key: String!) { mapQualification(qualificationId: $q, standardCode: $s, since: "2020-01-01", idempotencyKey: $key) { since } }`,
      { q: `SB:${ids.qualification.get(q.localId)}`, s: q.standardCode, key: `map-SB-${q.localId}` },
      asRegistryAdmin(),
    );
    if (mapped.errors) throw new Error(`mapQualification failed: ${JSON.stringify(mapped.errors)}`);
  }
  // The gateway's copy of the key directory learns SB's key when it is read again (at most once a
  // second): until then SB's signed answers are under an unknown key and SB is refused, then
  // checked again at the next refresh. Refresh until it is admitted (bounded for a loaded machine).
  const admittedSb = () => {
    const state = r.gateway.membership.current;
    return state.phase === 'ready' && state.members.some((m) => m.code === 'SB') && !state.refused.has('SB');
  };
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    await r.gateway.membership.refresh();
    if (admittedSb()) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, 600_000);
afterAll(async () => {
  await r?.close();
  if (database) await postgresRegistroTarget.drop(database);
  rmSync(dir, { recursive: true, force: true });
});

const live = sb.credentials.filter(
  (c) => c.status === 'ACTIVE' && c.validFrom <= TODAY && (c.validUntil === null || c.validUntil >= TODAY),
);
const idOf = (generated: string) => `SB:${ids.credential.get(generated)}`;
const VERIFY = `query($id: ID!, $code: String!, $in: ID!) {
  verifyCredential(id: $id, code: $code, in: $in) { valid status recognition { outcome reason } }
}`;

describe('a register onboarded by its mapping, in a running region', () => {
  it('answers cross-border reads under its own keys', async () => {
    const holder = region.holders.find(
      (h) =>
        h.municipality === 'SB' &&
        region.holders.some((o) => o.municipality === 'NB' && o.nationalId === h.nationalId),
    );
    if (!holder) throw new Error('the seed has no holder registered in two municipalities');
    const answer = await r.query(
      `query($rhid: ID!) { credentialsOfHolder(regionalHolderId: $rhid) { id issuer { code } } }`,
      { rhid: holder.regionalHolderId },
      asOfficer('SB'),
    );
    expect(answer.errors).toBeUndefined();
    const found: { id: string; issuer: { code: string } }[] = answer.data.credentialsOfHolder;
    const own = sb.credentials.filter((c) => c.holderLocalId === holder.localId).map((c) => idOf(c.localId));
    expect(
      found
        .filter((c) => c.issuer.code === 'SB')
        .map((c) => c.id)
        .sort(),
    ).toEqual(own.sort());
    expect(own.every((id) => /^SB:\d{4}-\d+$/.test(id))).toBe(true);
    expect(found.some((c) => c.issuer.code === 'NB')).toBe(true);
  });

  it("verifies a title and applies an officer's suspension in the register, seen by the next verification", async () => {
    const c = live[0];
    if (!c) throw new Error('the seed has no live SB credential');
    const vars = { id: idOf(c.localId), code: c.verificationCode, in: 'NB' };
    const before = await r.query(VERIFY, vars, asEmployer());
    expect(before.errors).toBeUndefined();
    expect(before.data.verifyCredential).toMatchObject({ valid: true, status: 'ACTIVE' });
    // Its qualification was mapped at admission: the recognition does not stop at an unmapped one.
    expect(before.data.verifyCredential.recognition.reason).not.toBe('UNMAPPED_QUALIFICATION');
    const suspended = await r.query(
      `mutation($id: ID!) { suspendCredential(id: $id, idempotencyKey: "onboarded-suspend-0001", reason: "Under review") { id status } }`,
      { id: vars.id },
      asOfficer('SB'),
    );
    expect(suspended.errors).toBeUndefined();
    expect(suspended.data.suspendCredential).toEqual({ id: vars.id, status: 'SUSPENDED' });
    const after = await r.query(VERIFY, vars, asEmployer());
    expect(after.data.verifyCredential).toMatchObject({ valid: true, status: 'SUSPENDED' });
  });

  it('registers a placement under the next sequence value, with no employer where the register keeps none', async () => {
    const registered = await r.query(
      `mutation { registerPlacement(municipality: "SB", idempotencyKey: "onboarded-placement-0001",
        input: { credentialId: "NB:C-000004", employer: "Obras del Puerto", iscoCode: "7411", startDate: "2026-10-15" })
        { id employer startDate } }`,
      {},
      asOfficer('SB'),
    );
    expect(registered.errors).toBeUndefined();
    expect(registered.data.registerPlacement).toEqual({
      id: `SB:${sb.placements.length + 1}`,
      employer: null,
      startDate: '2026-10-15',
    });
  });
});
