// Guessing through verifyCredential: every failed guess gets the same answer whatever made it
// fail, the owner logs each attempt on its side, and one caller's guesses run into the rate limit.

import type { TokenClaims } from '../../scripts/region/keys';
import type { InProcessRegion } from '../support/in-process';
import { auditOf, credentialOf, demoPolicy, startSecureRegion } from './region';

/** One frozen instant for the gateway and the subgraphs, so the rate window cannot roll over. */
const FROZEN = Date.parse('2026-11-01T12:00:00Z');
const ALLOWANCE = 12;

let r: InProcessRegion;
beforeAll(async () => {
  r = await startSecureRegion({
    gateway: { development: false, rateLimitPerMinute: ALLOWANCE },
    gatewayDeps: { now: () => FROZEN },
    trust: {
      policies: Object.fromEntries(['NB', 'SB', 'RV'].map((c) => [c, demoPolicy(c)])),
      defaultCaller: null,
      now: () => FROZEN,
      partners: { now: () => FROZEN },
    },
  });
});
afterAll(() => r?.close());

const employer = (subject: string): TokenClaims => ({ subject, role: 'employer' });

async function post(claims: TokenClaims, variables: Record<string, unknown>) {
  const token = await r.token(claims, { now: FROZEN });
  const res = await fetch(r.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: VERIFY, variables }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: await res.json() };
}

const VERIFY = `query($id: ID!, $code: String!) {
  verifyCredential(id: $id, code: $code, in: "NB") {
    id valid status destination
    credential { id holderName issuer { code } validFrom validUntil qualification { title } }
    recognition { outcome reason }
  }
}`;

/** The answer with its one per-answer value (a fresh random id) replaced by its shape. */
function comparable(json: { data?: { verifyCredential?: Record<string, unknown> }; errors?: unknown }) {
  const v = json.data?.verifyCredential;
  const id = v?.id;
  return {
    data: v ? { ...v, id: typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) ? 'uuid' : id } : v,
    errors: json.errors,
  };
}

describe('verifyCredential does not tell failed guesses apart', () => {
  const sb = credentialOf('SB', 4);
  const rv = credentialOf('RV', 2);
  const guesses = {
    'a wrong code': { id: `SB:${sb.localId}`, code: 'W0000-0000' },
    'an unknown id': { id: 'SB:C-999999', code: sb.verificationCode },
    'a malformed id': { id: 'not an id at all', code: sb.verificationCode },
    'an id of no member': { id: 'ZZ:C-000001', code: sb.verificationCode },
    "another municipality's id with a guessed code": { id: `RV:${rv.localId}`, code: sb.verificationCode },
    'an overlong code': { id: `SB:${sb.localId}`, code: 'X'.repeat(300) },
  };

  it('gives every failed guess the same data and no error', async () => {
    const answers: Record<string, unknown> = {};
    let n = 0;
    for (const [name, variables] of Object.entries(guesses)) {
      const res = await post(employer(`guesser-shape-${n++}`), variables);
      expect(res.status).toBe(200);
      answers[name] = comparable(res.json);
    }
    const expected = {
      data: {
        id: 'uuid',
        valid: false,
        status: null,
        destination: 'NB',
        credential: null,
        recognition: null,
      },
      errors: undefined,
    };
    for (const name of Object.keys(guesses)) expect([name, answers[name]]).toEqual([name, expected]);
  });

  it('answers the right code with the credential, so the failures above are real failures', async () => {
    const res = await post(employer('honest-employer'), {
      id: `SB:${sb.localId}`,
      code: sb.verificationCode,
    });
    expect(res.json.errors).toBeUndefined();
    expect(res.json.data.verifyCredential).toMatchObject({
      valid: true,
      credential: { id: `SB:${sb.localId}` },
    });
  });

  it('logs each attempt on the owner side, with the id tried and why it failed', async () => {
    const subject = 'guesser-audit';
    await post(employer(subject), { id: `SB:${sb.localId}`, code: 'W1111-1111' });
    await post(employer(subject), { id: 'SB:C-888888', code: 'W1111-1111' });
    await post(employer(subject), { id: `SB:${sb.localId}`, code: sb.verificationCode });
    const mine = (await auditOf(r, 'SB')).filter((e) => e.subject === subject);
    const denied = mine.filter((e) => e.decision === 'denied');
    expect(denied.map((e) => [e.recordIds, e.reason])).toEqual([
      [[`SB:${sb.localId}`], 'verification failed: the code does not match'],
      [['SB:C-888888'], 'verification failed: no such credential'],
    ]);
    for (const e of denied) expect(e).toMatchObject({ role: 'employer', fields: ['Query.verifyCredential'] });
    const released = mine.filter((e) => e.decision === 'allowed' && e.recordIds.includes(`SB:${sb.localId}`));
    expect(released).toHaveLength(1);
    expect(released[0]?.fields).toEqual(
      expect.arrayContaining([
        'Query.verifyCredential',
        'VerifiedCredential.holderName',
        'Qualification.title',
      ]),
    );
    // Ids that no member owns have no owner to log them; the member that answered logs nothing.
    await post(employer('guesser-nobody'), { id: 'ZZ:C-000001', code: 'W1111-1111' });
    for (const code of ['NB', 'SB', 'RV']) {
      expect((await auditOf(r, code)).some((e) => e.subject === 'guesser-nobody')).toBe(false);
    }
  });

  it("stops one caller's guesses at the rate limit, and only that caller's", async () => {
    const guesser = employer('guesser-rate');
    const codes = Array.from({ length: ALLOWANCE }, (_, i) => `W${String(i).padStart(4, '0')}-0000`);
    for (const code of codes) {
      const res = await post(guesser, { id: `SB:${sb.localId}`, code });
      expect([res.status, res.json.data?.verifyCredential?.valid]).toEqual([200, false]);
    }
    const over = await post(guesser, { id: `SB:${sb.localId}`, code: sb.verificationCode });
    expect(over.status).toBe(429);
    expect(over.json.data).toBeUndefined();
    expect(over.json.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(over.retryAfter)).toBeGreaterThan(0);
    // The refused guess never reached the owner: its log holds exactly the allowance.
    const logged = (await auditOf(r, 'SB')).filter(
      (e) => e.subject === 'guesser-rate' && e.fields.includes('Query.verifyCredential'),
    );
    expect(logged.filter((e) => e.decision === 'denied')).toHaveLength(ALLOWANCE);
    const other = await post(employer('someone-else'), { id: `SB:${sb.localId}`, code: sb.verificationCode });
    expect(other.json.data.verifyCredential.valid).toBe(true);
  });
});
