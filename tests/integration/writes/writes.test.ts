// Every write through the gateway: officers in their own municipality, administrators in the
// registry; a retry returns the first result, another payload under the same key is refused.

import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { asEmployer, asOfficer, asRegistryAdmin } from '../../support/callers';
import { type GraphQLAnswer, type InProcessRegion, startRegion } from '../../support/in-process';

const TODAY = '2026-11-01';
const region = generateRegion({
  seed: 11,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 30,
  placementsPerMunicipality: 20,
});
let r: InProcessRegion;

beforeAll(async () => {
  r = await startRegion({
    region,
    today: TODAY,
    now: () => new Date(`${TODAY}T09:30:00Z`),
  });
});
afterAll(() => r?.close());

/** Queries the gateway as the given caller; an officer of Northbank unless told otherwise. */
const ask = (
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = asOfficer('NB'),
) => r.query(query, variables, headers);

type Vars = Record<string, unknown>;
type Headers = Record<string, string>;

/** Sends a write twice with the same key: both answers must be the same, without errors. */
async function retried(query: string, vars: Vars, headers: Headers) {
  const first = await ask(query, vars, headers);
  expect(first.errors).toBeUndefined();
  const second = await ask(query, vars, headers);
  expect(second).toEqual(first);
  return first.data;
}

const codeOf = (res: GraphQLAnswer<unknown>) => res.errors?.[0]?.extensions?.code;

describe('credential lifecycle writes by an officer', () => {
  const ISSUE = `mutation($input: IssueCredentialInput!, $key: String!) {
    issueCredential(municipality: "SB", input: $input, idempotencyKey: $key, reason: "Passed the final exam") { id status validFrom holder { id } }
  }`;
  const input = {
    holderId: 'SB:H-000001',
    qualificationId: 'SB:Q-002',
    validFrom: '2026-10-01',
    validUntil: null,
    verificationCode: 'T1234-5678',
  };

  it('issues once under a key, refuses another payload under it, and the code verifies', async () => {
    const data = await retried(ISSUE, { input, key: 'issue-sb-0001' }, asOfficer('SB'));
    expect(data.issueCredential).toMatchObject({
      status: 'ACTIVE',
      validFrom: '2026-10-01',
      holder: { id: 'SB:H-000001' },
    });
    const id = data.issueCredential.id as string;
    expect(id).toMatch(/^SB:C-\d{6}$/);
    const conflict = await ask(
      ISSUE,
      { input: { ...input, validFrom: '2026-10-02' }, key: 'issue-sb-0001' },
      asOfficer('SB'),
    );
    expect(codeOf(conflict)).toBe('IDEMPOTENCY_CONFLICT');
    const count = await ask(`{ credentials(municipalities: ["SB"], first: 0) { totalCount } }`);
    expect(count.data.credentials.totalCount).toBe(
      region.credentials.filter((c) => c.municipality === 'SB').length + 1,
    );
    const v = await ask(
      `query($id: ID!) { verifyCredential(id: $id, code: "T1234-5678", in: "SB") { valid status recognition { outcome } } }`,
      { id },
    );
    expect(v.data.verifyCredential).toEqual({
      valid: true,
      status: 'ACTIVE',
      recognition: { outcome: 'RECOGNISED' },
    });
  });

  it('writes once when the same request arrives several times at once', async () => {
    const vars = {
      input: { ...input, holderId: 'SB:H-000002', verificationCode: 'K5555-0000' },
      key: 'issue-sb-0002',
    };
    const answers = await Promise.all([1, 2, 3].map(() => ask(ISSUE, vars, asOfficer('SB'))));
    for (const a of answers) expect(a.errors).toBeUndefined();
    const ids = new Set(answers.map((a) => a.data.issueCredential.id));
    expect(ids.size).toBe(1);
    const holder = await ask(`{ holder(id: "SB:H-000002") { credentials { id } } }`);
    const issued = holder.data.holder.credentials.filter((c: { id: string }) => ids.has(c.id));
    expect(issued).toHaveLength(1);
  });

  it('suspends, reinstates and revokes, each retry answering as the first, and refuses what the state forbids', async () => {
    const id = 'SB:C-000002';
    const change = (op: string, key: string) =>
      retried(
        `mutation($id: ID!) { ${op}(id: $id, idempotencyKey: "${key}", reason: "Inspection ${key}") { id status } }`,
        { id },
        asOfficer('SB'),
      );
    expect((await change('suspendCredential', 'sb-life-0001')).suspendCredential.status).toBe('SUSPENDED');
    expect((await change('reinstateCredential', 'sb-life-0002')).reinstateCredential.status).toBe('ACTIVE');
    expect((await change('revokeCredential', 'sb-life-0003')).revokeCredential.status).toBe('REVOKED');
    // The first suspension's retry still answers as it did, though the credential has moved on.
    expect((await change('suspendCredential', 'sb-life-0001')).suspendCredential.status).toBe('SUSPENDED');
    const history = await ask(
      `{ credential(id: "${id}") { history { operation actor reason } } }`,
      {},
      asOfficer('SB'),
    );
    expect(history.data.credential.history).toEqual([
      { operation: 'suspendCredential', actor: 'officer-sb', reason: 'Inspection sb-life-0001' },
      { operation: 'reinstateCredential', actor: 'officer-sb', reason: 'Inspection sb-life-0002' },
      { operation: 'revokeCredential', actor: 'officer-sb', reason: 'Inspection sb-life-0003' },
    ]);
    const hidden = await ask(`{ credential(id: "${id}") { history { operation } } }`, {}, asOfficer('NB'));
    expect(hidden.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', municipality: 'SB' });
    const again = await ask(
      `mutation { reinstateCredential(id: "${id}", idempotencyKey: "sb-life-0004", reason: "Mistake") { id } }`,
      {},
      asOfficer('SB'),
    );
    expect(codeOf(again)).toBe('INVALID_TRANSITION');
    expect(again.errors?.[0]?.extensions?.municipality).toBe('SB');
  });

  it('refuses an officer of another municipality, an employer, and a malformed key', async () => {
    const m = `mutation { revokeCredential(id: "SB:C-000003", idempotencyKey: "nb-revoke-0001", reason: "Not ours") { id } }`;
    const foreign = await ask(m, {}, asOfficer('NB'));
    expect(codeOf(foreign)).toBe('FORBIDDEN');
    expect(foreign.errors?.[0]?.extensions?.municipality).toBe('SB');
    expect(codeOf(await ask(m, {}, asEmployer()))).toBe('FORBIDDEN');
    const badKey = await ask(
      `mutation { revokeCredential(id: "SB:C-000003", idempotencyKey: "x", reason: "r") { id } }`,
      {},
      asOfficer('SB'),
    );
    expect(codeOf(badKey)).toBe('BAD_USER_INPUT');
    const status = await ask(`{ credential(id: "SB:C-000003") { status } }`);
    expect(status.data.credential.status).not.toBe('REVOKED');
  });
});

describe('placements, decisions and appeals', () => {
  it('registers a placement once under a key', async () => {
    const q = `mutation($key: String!, $employer: String!) { registerPlacement(municipality: "NB", idempotencyKey: $key,
      input: { credentialId: "SB:C-000005", employer: $employer, iscoCode: "7411", startDate: "2026-10-15" }) { id employer credential { id issuer { code } } } }`;
    const data = await retried(q, { key: 'place-nb-0001', employer: 'Valley Electrics' }, asOfficer('NB'));
    expect(data.registerPlacement).toMatchObject({
      id: expect.stringMatching(/^NB:P-\d{6}$/),
      credential: { id: 'SB:C-000005', issuer: { code: 'SB' } },
    });
    expect(codeOf(await ask(q, { key: 'place-nb-0001', employer: 'Other' }, asOfficer('NB')))).toBe(
      'IDEMPOTENCY_CONFLICT',
    );
    const read = await ask(`query($id: ID!) { placement(id: $id) { employer } }`, {
      id: data.registerPlacement.id,
    });
    expect(read.data.placement.employer).toBe('Valley Electrics');
  });

  it('records a decision in the deciding municipality, and an appeal through to its resolution', async () => {
    const decide = `mutation($key: String!) { recordRecognitionDecision(municipality: "NB", idempotencyKey: $key, input: {
      credentialId: "SB:C-000005", decidedFor: "2026-11-01", outcome: NOT_RECOGNISED, reason: "LEVEL_TOO_LOW",
      agreementId: "AG-001", clause: "scope.minEqfLevel", inputs: "{\\"eqfLevel\\":3}" }) { id outcome decidedBy credential { id } } }`;
    const d = (await retried(decide, { key: 'decide-nb-0001' }, asOfficer('NB'))).recordRecognitionDecision;
    expect(d).toMatchObject({
      id: expect.stringMatching(/^NB:D-\d{6}$/),
      outcome: 'NOT_RECOGNISED',
      decidedBy: 'officer-nb',
      credential: { id: 'SB:C-000005' },
    });
    const appeal = `mutation($id: ID!, $key: String!) { fileAppeal(decisionId: $id, idempotencyKey: $key, grounds: "Level 4 per the 2024 reform") { id status } }`;
    const a = (await retried(appeal, { id: d.id, key: 'appeal-nb-0001' }, asOfficer('NB'))).fileAppeal;
    expect(a).toMatchObject({ id: expect.stringMatching(/^NB:A-\d{6}$/), status: 'OPEN' });
    const resolve = `mutation($id: ID!, $key: String!) { resolveAppeal(id: $id, outcome: OVERTURNED, idempotencyKey: $key, reason: "Reform confirmed") { status resolution } }`;
    expect(
      (await retried(resolve, { id: a.id, key: 'resolve-nb-0001' }, asOfficer('NB'))).resolveAppeal,
    ).toEqual({ status: 'OVERTURNED', resolution: 'Reform confirmed' });
    expect(codeOf(await ask(resolve, { id: a.id, key: 'resolve-nb-0002' }, asOfficer('NB')))).toBe(
      'INVALID_TRANSITION',
    );
    const read = await ask(
      `query($id: ID!) { recognitionDecision(id: $id) { id appeals { status } } }`,
      { id: d.id },
      asOfficer('NB'),
    );
    expect(read.data.recognitionDecision).toEqual({ id: d.id, appeals: [{ status: 'OVERTURNED' }] });
    const elsewhere = await ask(
      `query($id: ID!) { recognitionDecision(id: $id) { id } }`,
      { id: d.id },
      asOfficer('SB'),
    );
    expect(codeOf(elsewhere)).toBe('FORBIDDEN');
  });
});

describe('agreement and mapping writes by a registry administrator', () => {
  const PROPOSE = `mutation($key: String!, $title: String!) { proposeAgreement(idempotencyKey: $key, reason: "Drivers shortage", input: {
    title: $title, parties: ["NB", "SB", "RV"], iscoGroups: ["8332"], minEqfLevel: 3, validFrom: "2026-01-01",
    measures: [{ from: "RV", to: "NB", measures: [{ kind: BRIDGE_COURSE, hours: 40 }] }] }) { id status parties { municipality { code } ratifiedOn } } }`;

  it('puts a three-party agreement in force on the day its last party ratifies, with every step retried and in its history', async () => {
    const proposed = (
      await retried(PROPOSE, { key: 'propose-0001', title: 'Regional drivers accord' }, asRegistryAdmin())
    ).proposeAgreement;
    expect(proposed).toMatchObject({ id: 'AG-007', status: 'PROPOSED' });
    expect(codeOf(await ask(PROPOSE, { key: 'propose-0001', title: 'Other title' }, asRegistryAdmin()))).toBe(
      'IDEMPOTENCY_CONFLICT',
    );
    const ratify = (m: string, on: string, headers: Headers) =>
      retried(
        `mutation { ratifyAgreement(id: "AG-007", municipality: "${m}", on: "${on}", idempotencyKey: "ratify-${m}-0001") { status } }`,
        {},
        headers,
      );
    expect((await ratify('NB', '2026-02-01', asRegistryAdmin())).ratifyAgreement.status).toBe('PROPOSED');
    expect((await ratify('SB', '2026-03-01', asOfficer('SB'))).ratifyAgreement.status).toBe('PROPOSED');
    const driver = region.credentials.find(
      (c) =>
        c.municipality === 'RV' &&
        c.qualificationLocalId === 'Q-010' &&
        c.status === 'ACTIVE' &&
        c.validFrom <= '2026-03-01' &&
        (c.validUntil ?? '9999') >= TODAY,
    );
    if (!driver) throw new Error('seed lacks an active RV driver');
    const recognition = `query($at: Date!) { credential(id: "RV:${driver.localId}") { recognition(in: "NB", at: $at) { outcome reason measures { kind hours } basis { agreement { id } } } } }`;
    expect((await ask(recognition, { at: '2026-06-01' })).data.credential.recognition.reason).toBe(
      'AGREEMENT_NOT_IN_FORCE',
    );
    expect((await ratify('RV', '2026-04-01', asRegistryAdmin())).ratifyAgreement.status).toBe('RATIFIED');
    const window = await ask(
      `{ agreement(id: "AG-007") { before: inForce(at: "2026-03-31") on: inForce(at: "2026-04-01") } }`,
    );
    expect(window.data.agreement).toEqual({ before: false, on: true });
    expect((await ask(recognition, { at: '2026-04-01' })).data.credential.recognition).toEqual({
      outcome: 'CONDITIONAL',
      reason: null,
      measures: [{ kind: 'BRIDGE_COURSE', hours: 40 }],
      basis: { agreement: { id: 'AG-007' } },
    });
    const halt = (op: string, on: string) =>
      retried(
        `mutation { ${op}(id: "AG-007", on: "${on}", idempotencyKey: "${op}-0001", reason: "Review") { status } }`,
        {},
        asRegistryAdmin(),
      );
    expect((await halt('suspendAgreement', '2026-09-01')).suspendAgreement.status).toBe('SUSPENDED');
    expect((await halt('terminateAgreement', '2026-10-01')).terminateAgreement.status).toBe('TERMINATED');
    const listed = await ask(
      `{ agreements(municipality: "RV") { id } history: agreement(id: "AG-007") { history { action actor reason } } }`,
    );
    expect(listed.data.agreements.map((a: { id: string }) => a.id)).toEqual([
      'AG-002',
      'AG-003',
      'AG-004',
      'AG-007',
    ]);
    expect(listed.data.history.history).toEqual([
      { action: 'proposeAgreement', actor: 'registry-admin', reason: 'Drivers shortage' },
      { action: 'ratifyAgreement', actor: 'registry-admin', reason: null },
      { action: 'ratifyAgreement', actor: 'officer-sb', reason: null },
      { action: 'ratifyAgreement', actor: 'registry-admin', reason: null },
      { action: 'suspendAgreement', actor: 'registry-admin', reason: 'Review' },
      { action: 'terminateAgreement', actor: 'registry-admin', reason: 'Review' },
    ]);
  });

  it('maps and unmaps a qualification once per key, and recognition follows the mapping', async () => {
    const c = region.credentials.find(
      (x) =>
        x.municipality === 'SB' &&
        x.qualificationLocalId === 'Q-002' &&
        x.status === 'ACTIVE' &&
        (x.validUntil ?? '9999') >= TODAY,
    );
    if (!c) throw new Error('seed lacks an active SB electrician');
    const unmap = await retried(
      `mutation { unmapQualification(qualificationId: "SB:Q-002", idempotencyKey: "unmap-0001", reason: "Curriculum under review") { id } }`,
      {},
      asRegistryAdmin(),
    );
    expect(unmap.unmapQualification).toEqual({ id: 'SB:Q-002' });
    const recognition = `{ credential(id: "SB:${c.localId}") { recognition(in: "NB", at: "${TODAY}") { reason } } }`;
    expect((await ask(recognition)).data.credential.recognition.reason).toBe('UNMAPPED_QUALIFICATION');
    const map = await retried(
      `mutation { mapQualification(qualificationId: "SB:Q-002", standardCode: "RS-7411-4", since: "2026-11-01", idempotencyKey: "map-0001") { qualification { id } standard { code } since } }`,
      {},
      asRegistryAdmin(),
    );
    expect(map.mapQualification).toEqual({
      qualification: { id: 'SB:Q-002' },
      standard: { code: 'RS-7411-4' },
      since: '2026-11-01',
    });
    expect((await ask(recognition)).data.credential.recognition.reason).toBeNull();
    expect(
      codeOf(
        await ask(
          `mutation { mapQualification(qualificationId: "SB:Q-002", standardCode: "RS-7411-4", since: "2026-11-01", idempotencyKey: "map-0002") { since } }`,
          {},
          asOfficer('SB'),
        ),
      ),
    ).toBe('FORBIDDEN');
  });
});
