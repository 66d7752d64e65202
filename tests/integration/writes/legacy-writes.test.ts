// Officers write into the legacy registers of the demo's municipalities through the gateway: an
// issue, a suspension, a reinstatement, a revocation and a placement, each seen by the next read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CredentialData } from '../../../common/region-records';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { pgLedgerAdapter } from '../../../subgraphs/municipal/adapters/pg-ledger';
import { pgNormalisedAdapter } from '../../../subgraphs/municipal/adapters/pg-normalised';
import { sqliteCamelAdapter } from '../../../subgraphs/municipal/adapters/sqlite-camel';
import { asEmployer, asOfficer } from '../../support/callers';
import { type InProcessRegion, startRegion } from '../../support/in-process';
import { legacyShard } from '../../support/legacy-shards';

const TODAY = '2026-11-01';
const region = generateRegion({
  seed: 11,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 120,
  placementsPerMunicipality: 40,
});
const dir = mkdtempSync(join(tmpdir(), 'crossgate-legacy-writes-'));
let r: InProcessRegion;

beforeAll(async () => {
  r = await startRegion({
    region,
    today: TODAY,
    now: () => new Date(`${TODAY}T12:00:00Z`),
    shards: [
      legacyShard('NB', pgNormalisedAdapter, join(dir, 'nb')),
      legacyShard('SB', sqliteCamelAdapter, join(dir, 'sb.sqlite')),
      legacyShard('RV', pgLedgerAdapter, join(dir, 'rv')),
    ],
  });
}, 180_000);
afterAll(async () => {
  await r?.close();
  rmSync(dir, { recursive: true, force: true });
});

const idOf = (c: CredentialData) => `${c.municipality}:${c.localId}`;
const eqf = (c: CredentialData) =>
  region.qualifications.find((q) => q.municipality === c.municipality && q.localId === c.qualificationLocalId)
    ?.eqfLevel ?? 0;
const live = (c: CredentialData) =>
  c.status === 'ACTIVE' && c.validFrom <= TODAY && (c.validUntil === null || c.validUntil >= TODAY);

/** Active SB electricians at EQF 4 or above: recognised in NB under the building-trades agreement. */
const sbElectricians = region.credentials.filter(
  (c) => c.municipality === 'SB' && c.qualificationLocalId === 'Q-002' && live(c) && eqf(c) >= 4,
);

const VERIFY = `query($id: ID!, $code: String!, $in: ID!) {
  verifyCredential(id: $id, code: $code, in: $in) { valid status recognition { outcome reason } }
}`;
const change = (verb: string, id: string, key: string, municipality: string) =>
  r.query(
    `mutation($id: ID!, $key: String!) { ${verb}Credential(id: $id, idempotencyKey: $key, reason: "Checked by the board") { id status } }`,
    { id, key },
    asOfficer(municipality),
  );

describe('officer writes on legacy registers, through the gateway', () => {
  it("shows an officer's revocation in the very next verification", async () => {
    const c = sbElectricians[0];
    if (!c) throw new Error('seed lacks an active SB electrician');
    const vars = { id: idOf(c), code: c.verificationCode, in: 'NB' };
    const before = await r.query(VERIFY, vars, asEmployer());
    expect(before.data.verifyCredential).toMatchObject({
      status: 'ACTIVE',
      recognition: { outcome: 'RECOGNISED' },
    });
    const revoked = await change('revoke', idOf(c), 'legacy-revoke-0001', 'SB');
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data.revokeCredential).toEqual({ id: idOf(c), status: 'REVOKED' });
    const after = await r.query(VERIFY, vars, asEmployer());
    expect(after.data.verifyCredential).toEqual({
      valid: true,
      status: 'REVOKED',
      recognition: { outcome: 'NOT_RECOGNISED', reason: 'REVOKED' },
    });
    expect(await change('revoke', idOf(c), 'legacy-revoke-0001', 'SB')).toEqual(revoked);
    const reinstate = await change('reinstate', idOf(c), 'legacy-revoke-0002', 'SB');
    expect(reinstate.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_TRANSITION',
      municipality: 'SB',
    });
  });

  it.each([
    ['NB', 'pg-normalised'],
    ['RV', 'pg-ledger'],
  ])('suspends and reinstates in %s (%s), each seen by the next read', async (code) => {
    const c = region.credentials.find((x) => x.municipality === code && live(x));
    if (!c) throw new Error(`seed lacks an active ${code} credential`);
    const suspended = await change('suspend', idOf(c), `legacy-suspend-${code}-01`, code);
    expect(suspended.data.suspendCredential).toEqual({ id: idOf(c), status: 'SUSPENDED' });
    const read = await r.query(VERIFY, { id: idOf(c), code: c.verificationCode, in: code }, asEmployer());
    expect(read.data.verifyCredential.status).toBe('SUSPENDED');
    const reinstated = await change('reinstate', idOf(c), `legacy-reinstate-${code}-01`, code);
    expect(reinstated.data.reinstateCredential).toEqual({ id: idOf(c), status: 'ACTIVE' });
  });

  it('issues a credential in the register whose code verifies, once under a key sent three times at once', async () => {
    const ISSUE = `mutation($key: String!) { issueCredential(municipality: "RV", idempotencyKey: $key, reason: "Passed",
      input: { holderId: "RV:H-000003", qualificationId: "RV:Q-002", validFrom: "2026-10-01", verificationCode: "R4242-0001" })
      { id status holder { id } } }`;
    const answers = await Promise.all(
      [1, 2, 3].map(() => r.query(ISSUE, { key: 'legacy-issue-0001' }, asOfficer('RV'))),
    );
    for (const a of answers) expect(a.errors).toBeUndefined();
    expect(new Set(answers.map((a) => a.data.issueCredential.id)).size).toBe(1);
    const issued = answers[0]?.data.issueCredential;
    expect(issued).toMatchObject({
      id: expect.stringMatching(/^RV:C-\d{6}$/),
      status: 'ACTIVE',
      holder: { id: 'RV:H-000003' },
    });
    const v = await r.query(VERIFY, { id: issued.id, code: 'R4242-0001', in: 'RV' }, asEmployer());
    expect(v.data.verifyCredential).toEqual({
      valid: true,
      status: 'ACTIVE',
      recognition: { outcome: 'RECOGNISED', reason: null },
    });
    const count = await r.query(
      `{ credentials(municipalities: ["RV"], first: 0) { totalCount } }`,
      {},
      asOfficer('RV'),
    );
    expect(count.data.credentials.totalCount).toBe(
      region.credentials.filter((c) => c.municipality === 'RV').length + 1,
    );
  });

  it('registers a placement in the register, readable at once', async () => {
    const q = `mutation($key: String!) { registerPlacement(municipality: "NB", idempotencyKey: $key,
      input: { credentialId: "SB:C-000005", employer: "Valley Electrics", iscoCode: "7411", startDate: "2026-10-15" }) { id employer } }`;
    const first = await r.query(q, { key: 'legacy-place-0001' }, asOfficer('NB'));
    expect(first.errors).toBeUndefined();
    expect(first.data.registerPlacement.id).toMatch(/^NB:P-\d{6}$/);
    expect(await r.query(q, { key: 'legacy-place-0001' }, asOfficer('NB'))).toEqual(first);
    const read = await r.query(
      `query($id: ID!) { placement(id: $id) { employer credential { id } } }`,
      {
        id: first.data.registerPlacement.id,
      },
      asOfficer('NB'),
    );
    expect(read.data.placement).toEqual({ employer: 'Valley Electrics', credential: { id: 'SB:C-000005' } });
  });
});
