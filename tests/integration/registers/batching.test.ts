// SQL statements per request do not grow with the size of the answer: every relation is batched.

import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { type InProcessRegion, startRegion } from '../../support/in-process';

const region = generateRegion({
  seed: 11,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 80,
  placementsPerMunicipality: 120,
});
let r: InProcessRegion;

beforeAll(async () => {
  r = await startRegion({ region, today: '2026-11-01' });
});
afterAll(() => r?.close());

const LIST = `query($n: Int) { credentials(first: $n) { edges { node { id status holder { displayName credentials { id } } qualification { title } } } } }`;
const PLACEMENTS = `query($n: Int) { placements(first: $n) { edges { node { id credential { id holder { displayName } qualification { code } } } } } }`;

async function statementsFor(query: string, n: number) {
  for (const s of r.shards) s.counter.reset();
  const res = await r.query(query, { n });
  expect(res.errors).toBeUndefined();
  return r.shards.map((s) => s.counter.count);
}

describe('batching', () => {
  it('sends the same number of SQL statements for 5 and for 100 credentials with their relations', async () => {
    const small = await statementsFor(LIST, 5);
    const large = await statementsFor(LIST, 100);
    expect(large).toEqual(small);
    // page + count, then one statement per relation: holder, qualification, holder's credentials
    for (const n of large) expect(n).toBeLessThanOrEqual(5);
  });

  it('resolves cross-border credentials of placements in one batch per owner', async () => {
    const small = await statementsFor(PLACEMENTS, 5);
    const large = await statementsFor(PLACEMENTS, 100);
    expect(large).toEqual(small);
  });
});
