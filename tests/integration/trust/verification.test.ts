// Employer verification and recognition through the gateway: explained outcomes, no enumeration,
// and a revocation seen by the very next verification.

import type { CredentialData } from '../../../common/region-records';
import { sampleVerifications } from '../../../scripts/region/samples';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { asEmployer, asOfficer } from '../../support/callers';
import { type InProcessRegion, startRegion } from '../../support/in-process';

const TODAY = '2026-11-01';
const region = generateRegion({
  seed: 11,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 120,
  placementsPerMunicipality: 40,
});
let r: InProcessRegion;

beforeAll(async () => {
  r = await startRegion({
    region,
    today: TODAY,
    now: () => new Date(`${TODAY}T12:00:00Z`),
  });
});
afterAll(() => r?.close());

/** Queries the gateway as the given caller; an officer of Northbank unless told otherwise. */
const ask = (
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = asOfficer('NB'),
) => r.query(query, variables, headers);

const idOf = (c: CredentialData) => `${c.municipality}:${c.localId}`;
const eqf = (c: CredentialData) =>
  region.qualifications.find((q) => q.municipality === c.municipality && q.localId === c.qualificationLocalId)
    ?.eqfLevel ?? 0;
const live = (c: CredentialData) =>
  c.status === 'ACTIVE' && c.validFrom <= TODAY && (c.validUntil === null || c.validUntil >= TODAY);

/** An active SB electrician at EQF 4 or above: recognised in NB under the building-trades agreement. */
function sbElectrician(skip = 0): CredentialData {
  const found = region.credentials.filter(
    (c) => c.municipality === 'SB' && c.qualificationLocalId === 'Q-002' && live(c) && eqf(c) >= 4,
  );
  const c = found[skip];
  if (!c) throw new Error('seed lacks an active SB electrician');
  return c;
}

const VERIFY = `query($id: ID!, $code: String!, $in: ID!) {
  verifyCredential(id: $id, code: $code, in: $in) {
    valid status destination
    credential { id issuer { code name } holderName validFrom validUntil
      qualification { title eqfLevel regionalStandard { code occupation { iscoCode } } } }
    recognition { outcome reason measures { kind months hours level } basis { agreement { id title } clause } explanation }
  }
}`;

describe('verifyCredential through the gateway', () => {
  it('verifies a credential issued in another municipality and explains its recognition', async () => {
    const c = sbElectrician();
    const res = await ask(VERIFY, { id: idOf(c), code: c.verificationCode, in: 'NB' }, asEmployer());
    expect(res.errors).toBeUndefined();
    const v = res.data.verifyCredential;
    expect(v).toMatchObject({ valid: true, status: 'ACTIVE', destination: 'NB' });
    const holder = region.holders.find((h) => h.municipality === 'SB' && h.localId === c.holderLocalId);
    expect(v.credential).toMatchObject({
      id: idOf(c),
      issuer: { code: 'SB', name: 'Southbank' },
      holderName: holder?.displayName,
    });
    expect(v.credential.qualification.regionalStandard.code).toBe('RS-7411-4');
    expect(v.recognition).toMatchObject({
      outcome: 'RECOGNISED',
      reason: null,
      basis: { agreement: { id: 'AG-001' }, clause: 'scope.iscoGroups:741' },
    });
    // Three other agreements bind SB and NB (one superseded): the explanation names the choice.
    expect(v.recognition.explanation).toMatch(
      /most favourable of 4 agreements binding SB and NB.*AG-006: NOT_RECOGNISED \(AGREEMENT_NOT_IN_FORCE\)/,
    );
  });

  it('exposes no holder data beyond the display name', async () => {
    const c = sbElectrician();
    const res = await ask(
      `query($id: ID!, $code: String!) { verifyCredential(id: $id, code: $code, in: "NB") { credential { holder { id } } } }`,
      {
        id: idOf(c),
        code: c.verificationCode,
      },
    );
    expect(res.errors?.[0]?.message).toMatch(/Cannot query field "holder" on type "VerifiedCredential"/);
  });

  it('gives a wrong code and an unknown id the same answer', async () => {
    const c = sbElectrician();
    const strip = (v: Record<string, unknown>) => ({ ...v, id: undefined });
    const q = `query($id: ID!, $code: String!) { verifyCredential(id: $id, code: $code, in: "NB") { id valid status destination credential { id } recognition { outcome } } }`;
    const wrong = await ask(q, { id: idOf(c), code: 'W0000-0000' }, asEmployer());
    const unknown = await ask(q, { id: 'SB:C-999999', code: c.verificationCode }, asEmployer());
    expect(wrong.errors).toBeUndefined();
    expect(unknown.errors).toBeUndefined();
    expect(strip(wrong.data.verifyCredential)).toEqual({
      id: undefined,
      valid: false,
      status: null,
      destination: 'NB',
      credential: null,
      recognition: null,
    });
    expect(strip(unknown.data.verifyCredential)).toEqual(strip(wrong.data.verifyCredential));
  });

  it('shows a revocation in the very next verification', async () => {
    const c = sbElectrician(1);
    const vars = { id: idOf(c), code: c.verificationCode, in: 'NB' };
    const before = await ask(VERIFY, vars, asEmployer());
    expect(before.data.verifyCredential.recognition.outcome).toBe('RECOGNISED');
    const revoked = await ask(
      `mutation($id: ID!) { revokeCredential(id: $id, idempotencyKey: "revoke-test-0001", reason: "Obtained by fraud") { id status } }`,
      { id: idOf(c) },
      asOfficer('SB'),
    );
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data.revokeCredential).toEqual({ id: idOf(c), status: 'REVOKED' });
    const after = await ask(VERIFY, vars, asEmployer());
    expect(after.data.verifyCredential).toMatchObject({
      valid: true,
      status: 'REVOKED',
      recognition: { outcome: 'NOT_RECOGNISED', reason: 'REVOKED' },
    });
  });
});

describe('the demo’s sample verifications', () => {
  it('show, one each, the outcomes the demo prints beside them', async () => {
    const samples = sampleVerifications(region, TODAY);
    expect(samples.map((s) => s.outcome)).toEqual([
      'RECOGNISED',
      'CONDITIONAL',
      'PARTIAL',
      'NOT_RECOGNISED',
      'NOT_RECOGNISED',
    ]);
    for (const s of samples) {
      const res = await ask(VERIFY, { id: s.id, code: s.code, in: s.in });
      expect(res.errors).toBeUndefined();
      expect(res.data.verifyCredential.valid).toBe(true);
      expect([
        s.id,
        res.data.verifyCredential.recognition.outcome,
        res.data.verifyCredential.recognition.reason,
      ]).toEqual([s.id, s.outcome, s.reason]);
    }
  });
});

describe('Credential.recognition through the gateway', () => {
  const RECOGNITION = `query($id: ID!, $in: ID!, $at: Date) { credential(id: $id) { id recognition(in: $in, at: $at) { outcome reason measures { kind months hours level } basis { agreement { id } clause } municipality { code } at } } }`;

  it('recognises a valid credential in its issuing municipality without any agreement', async () => {
    const c = sbElectrician();
    const res = await ask(RECOGNITION, { id: idOf(c), in: 'SB', at: TODAY });
    expect(res.data.credential.recognition).toMatchObject({
      outcome: 'RECOGNISED',
      basis: { agreement: null, clause: 'issuer' },
      municipality: { code: 'SB' },
      at: TODAY,
    });
  });

  it('lists the measures of a conditional recognition under the care accord', async () => {
    const c = region.credentials.find(
      (x) => x.municipality === 'SB' && x.qualificationLocalId === 'Q-005' && live(x) && eqf(x) >= 4,
    );
    if (!c) throw new Error('seed lacks an active SB health care assistant');
    const res = await ask(RECOGNITION, { id: idOf(c), in: 'NB', at: TODAY });
    expect(res.errors).toBeUndefined();
    expect(res.data.credential.recognition).toMatchObject({
      outcome: 'CONDITIONAL',
      reason: null,
      measures: [
        { kind: 'LANGUAGE_LEVEL', level: 'B2', months: null, hours: null },
        { kind: 'ADAPTATION_PERIOD', months: 3, hours: null, level: null },
      ],
      basis: { agreement: { id: 'AG-002' }, clause: 'measures:SB->NB' },
    });
  });

  it('decides for a whole page of credentials, the outcome following each credential', async () => {
    const res = await ask(
      `{ credentials(first: 60, municipalities: ["RV"]) { edges { node { id status recognition(in: "NB", at: "${TODAY}") { outcome reason explanation } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const outcomes = new Set(
      res.data.credentials.edges.map(
        (e: { node: { recognition: { outcome: string } } }) => e.node.recognition.outcome,
      ),
    );
    expect(outcomes.size).toBeGreaterThan(1);
    for (const e of res.data.credentials.edges) {
      if (e.node.status === 'REVOKED') expect(e.node.recognition.reason).toBe('REVOKED');
      if (e.node.status === 'SUSPENDED') expect(e.node.recognition.reason).toBe('SUSPENDED');
      expect(e.node.recognition.explanation.length).toBeGreaterThan(10);
    }
  });

  it('answers an unknown destination with UNKNOWN_MUNICIPALITY', async () => {
    const c = sbElectrician();
    const res = await ask(RECOGNITION, { id: idOf(c), in: 'XX', at: TODAY });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNKNOWN_MUNICIPALITY');
  });
});

describe('recognition beside a credential that cannot be read', () => {
  it('keeps every other recognition on its own credential when one credential of the batch fails', async () => {
    const nbPlacements = region.placements.filter((p) => p.municipality === 'NB');
    const foreign = nbPlacements.filter((p) => !p.credentialId.startsWith('NB:'));
    const broken = foreign[0]?.credentialId;
    if (!broken || foreign.length < 3) throw new Error('seed has too few cross-border placements in NB');
    const shard = r.shards.find((s) => s.spec.codes.includes(broken.split(':')[0] as string));
    await shard?.handle?.exec(
      `UPDATE credential SET status = 'LOST' WHERE municipality || ':' || local_id = '${broken}'`,
    );
    const res = await ask(
      `{ placements(municipalities: ["NB"], first: 100) { edges { node { id credential { id recognition(in: "NB", at: "${TODAY}") { outcome reason explanation } } } } } }`,
    );
    const nodes = res.data.placements.edges.map(
      (e: { node: { id: string; credential: { id: string; recognition: unknown } | null } }) => e.node,
    );
    expect(nodes).toHaveLength(nbPlacements.length);
    // The unreadable credential costs only what depends on its record: the reference stays, and
    // its recognition (nullable, resolved in the registry from the record's fields) is null.
    const unreadable = (n: { credential: { id: string; recognition: unknown } | null }) =>
      n.credential === null || n.credential.recognition === null;
    const failed = nodes.filter(unreadable);
    expect(failed.length).toBeGreaterThan(0);
    expect(
      failed.every(
        (n: { credential: { id: string } | null }) => n.credential === null || n.credential.id === broken,
      ),
    ).toBe(true);
    expect(res.errors?.some((e) => e.extensions?.code === 'INVALID_RECORD')).toBe(true);
    // Each recognition answered beside the failure is the one its own credential gets alone.
    const checked = nodes.filter((n: Parameters<typeof unreadable>[0]) => !unreadable(n)).slice(0, 12);
    for (const n of checked) {
      const alone = await ask(
        `query($id: ID!) { credential(id: $id) { recognition(in: "NB", at: "${TODAY}") { outcome reason explanation } } }`,
        { id: n.credential.id },
      );
      expect([n.credential.id, n.credential.recognition]).toEqual([
        n.credential.id,
        alone.data.credential.recognition,
      ]);
    }
  });
});
