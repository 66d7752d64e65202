// The destination of a verification or recognition is `destination`; the former name `in` is
// deprecated but keeps working, and the two must agree when both are sent.

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

const sample = () => {
  const found = sampleVerifications(region, TODAY).find((s) => s.outcome === 'RECOGNISED');
  if (!found) throw new Error('the seed lacks a recognised sample');
  return found;
};

const VERIFY = `query($id: ID!, $code: String!, $destination: ID, $in: ID) {
  verifyCredential(id: $id, code: $code, destination: $destination, in: $in) {
    valid destination recognition { outcome reason }
  }
}`;

const RECOGNITION = `query($id: ID!, $destination: ID, $in: ID) {
  credential(id: $id) { recognition(destination: $destination, in: $in, at: "2026-06-01") { outcome reason } }
}`;

describe('verifyCredential(destination)', () => {
  it('answers the same for destination, for the deprecated in, and for both when they agree', async () => {
    const s = sample();
    const base = { id: s.id, code: s.code };
    const answers = await Promise.all(
      [{ destination: s.in }, { in: s.in }, { destination: s.in, in: s.in }].map((v) =>
        r.query(VERIFY, { ...base, ...v }, asEmployer()),
      ),
    );
    for (const a of answers) expect(a.errors).toBeUndefined();
    expect(answers[0]?.data.verifyCredential).toEqual({
      valid: true,
      destination: s.in,
      recognition: { outcome: s.outcome, reason: s.reason },
    });
    expect(answers[1]?.data).toEqual(answers[0]?.data);
    expect(answers[2]?.data).toEqual(answers[0]?.data);
  });

  it('refuses destination and in that disagree, and a request with neither, naming destination', async () => {
    const s = sample();
    const other = s.in === 'NB' ? 'SB' : 'NB';
    for (const v of [{ destination: s.in, in: other }, {}]) {
      const res = await r.query(VERIFY, { id: s.id, code: s.code, ...v }, asEmployer());
      expect(res.data).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName: 'destination',
      });
    }
  });

  it('refuses a destination that is not a municipality code', async () => {
    const s = sample();
    const res = await r.query(VERIFY, { id: s.id, code: s.code, destination: 'nb; drop' }, asEmployer());
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'destination',
    });
  });
});

describe('Credential.recognition(destination)', () => {
  it('decides the same for destination and the deprecated in', async () => {
    const s = sample();
    const byDestination = await r.query(RECOGNITION, { id: s.id, destination: s.in }, asOfficer('NB'));
    const byIn = await r.query(RECOGNITION, { id: s.id, in: s.in }, asOfficer('NB'));
    expect(byDestination.errors).toBeUndefined();
    expect(byDestination.data.credential.recognition.outcome).toMatch(/RECOGNISED|CONDITIONAL|PARTIAL/);
    expect(byIn).toEqual(byDestination);
  });

  it('refuses destination and in that disagree with a coded error', async () => {
    const s = sample();
    const other = s.in === 'NB' ? 'SB' : 'NB';
    const res = await r.query(RECOGNITION, { id: s.id, destination: s.in, in: other }, asOfficer('NB'));
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'destination',
    });
    // recognition is nullable: the refusal costs that field alone, never a decision for either place.
    expect(res.data?.credential?.recognition ?? null).toBeNull();
  });
});

describe('the schema', () => {
  it('marks in as deprecated in favour of destination on both fields', async () => {
    const res = await r.query(
      `{ q: __type(name: "Query") { fields { name args(includeDeprecated: true) { name isDeprecated deprecationReason } } }
         c: __type(name: "Credential") { fields { name args(includeDeprecated: true) { name isDeprecated deprecationReason } } } }`,
      {},
      asEmployer(),
    );
    expect(res.errors).toBeUndefined();
    type Field = {
      name: string;
      args: { name: string; isDeprecated: boolean; deprecationReason: string | null }[];
    };
    const argsOf = (fields: Field[], name: string) => fields.find((f) => f.name === name)?.args ?? [];
    for (const args of [
      argsOf(res.data.q.fields, 'verifyCredential'),
      argsOf(res.data.c.fields, 'recognition'),
    ]) {
      expect(args.find((a) => a.name === 'destination')).toMatchObject({ isDeprecated: false });
      expect(args.find((a) => a.name === 'in')).toMatchObject({
        isDeprecated: true,
        deprecationReason: expect.stringMatching(/Use destination/),
      });
    }
  });
});
