// A municipality's refusal of holder fields nulls only the holder: the credentials, the list
// they are in and the region-wide totals stay in the answer.
import type { InProcessRegion } from '../support/in-process';
import { bearer, officerOf, region, startSecureRegion } from './region';

let r: InProcessRegion;
beforeAll(async () => {
  r = await startSecureRegion();
}, 180_000);
afterAll(() => r?.close());

describe('partial release across municipalities', () => {
  it('keeps every credential and the full total when another municipality withholds its holders', async () => {
    const res = await r.query(
      `{ credentials(first: 100, municipalities: ["NB", "SB"]) { totalCount edges { node { id holder { displayName } } } } }`,
      {},
      await bearer(r, officerOf('NB')),
    );
    const expectedTotal = region.credentials.filter(
      (c) => c.municipality === 'NB' || c.municipality === 'SB',
    ).length;
    expect(res.data.credentials.totalCount).toBe(expectedTotal);
    const edges = res.data.credentials.edges as {
      node: { id: string; holder: { displayName: string } | null };
    }[];
    expect(edges).toHaveLength(Math.min(100, expectedTotal));
    const sb = edges.filter((e) => e.node.id.startsWith('SB:'));
    const nb = edges.filter((e) => e.node.id.startsWith('NB:'));
    expect(sb.length).toBeGreaterThan(0);
    expect(nb.length).toBeGreaterThan(0);
    for (const e of sb) expect(e.node.holder).toBeNull();
    for (const e of nb) expect(e.node.holder?.displayName.length).toBeGreaterThan(0);
    const refusals = (res.errors ?? []).filter((e) => e.extensions?.code === 'PURPOSE_REQUIRED');
    expect(refusals.length).toBe(sb.length);
    for (const e of refusals) {
      expect(e.extensions?.municipality).toBe('SB');
      expect(e.path?.slice(0, 2)).toEqual(['credentials', 'edges']);
      const index = e.path?.[2] as number;
      expect(edges[index]?.node.id.startsWith('SB:')).toBe(true);
    }
  });
});
