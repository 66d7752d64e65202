// The adapter behaviour suite, written once: every adapter on every engine must answer the same.

import { StatementCounter } from '../../common/postgres';
import { recordsOf, verificationHash } from '../../common/region-records';
import { compareSortKeys } from '../../schema/cursor';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import type { RegisterReads } from '../../subgraphs/municipal/adapters/adapter';
import { fixtureCredentialRef, fixtureIds } from '../../subgraphs/municipal/adapters/kit/fixtures';
import { isMissing } from '../../subgraphs/municipal/adapters/kit/mapping';
import type { CredentialRecord, FlowQuery, Page, SortKey } from '../../subgraphs/municipal/store';
import { type AdapterTarget, BAD } from './targets';
import { describeRegisterWrites } from './write-behaviour';

const CODE = 'SB';
/** Seeding shares two cores with everything else; a slow start is not a failure of the adapter. */
const HOOK_TIMEOUT = 180_000;
export const region = generateRegion({
  seed: 11,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 40,
  placementsPerMunicipality: 120,
});
const mine = recordsOf(region, [CODE]);
const gid = (local: string) => `${CODE}:${local}`;
const byKey =
  <T>(key: (t: T) => SortKey) =>
  (a: T, b: T) =>
    compareSortKeys(key(a), key(b));

async function walk<T>(load: (after: SortKey | null) => Promise<Page<T>>) {
  const items: Page<T>['items'] = [];
  let after: SortKey | null = null;
  let pages = 0;
  for (;;) {
    const page = await load(after);
    items.push(...page.items);
    pages++;
    const last = page.items[page.items.length - 1];
    if (!page.hasMore || !last) return { items, pages, total: page.total };
    after = last.key;
  }
}

const errorOf = (value: unknown) => {
  expect(value).toBeInstanceOf(Error);
  const e = value as Error & { extensions?: Record<string, unknown> };
  return { message: e.message, extensions: e.extensions };
};

export function describeAdapterBehaviour(target: AdapterTarget) {
  // The fixtures in the register's own scheme: its ids, and what it answers for fields it lacks.
  const { mapping } = target.adapter;
  const ids = fixtureIds(mapping, mine);
  const as = (map: Map<string, string>) => (generated: string) => gid(map.get(generated) ?? generated);
  const [cid, hid, qid, pid] = [as(ids.credential), as(ids.holder), as(ids.qualification), as(ids.placement)];
  const local = (id: string) => id.slice(CODE.length + 1);
  const employerOf = (employer: string) =>
    isMissing<null>(mapping.placement.employer) ? mapping.placement.employer.missing : employer;
  const bad = target.bad ?? BAD;
  const expectedCredential = (c: (typeof mine.credentials)[number]): CredentialRecord => ({
    id: cid(c.localId),
    municipality: CODE,
    holderId: hid(c.holderLocalId),
    qualificationId: qid(c.qualificationLocalId),
    state: c.status,
    validFrom: c.validFrom,
    validUntil: c.validUntil,
  });

  describe(`adapter behaviour on ${target.name}`, () => {
    let database = '';
    let reader = '';
    let store: RegisterReads;
    const counter = new StatementCounter();

    beforeAll(async () => {
      database = await target.create();
      expect(await target.adapter.seed(database, region, CODE)).toBe(true);
      reader = await target.adapter.readOnlyAccess(database);
      store = await target.adapter.open({ reader, owner: database }, CODE, counter);
    }, HOOK_TIMEOUT);
    afterAll(async () => {
      await store?.close();
      if (database) await target.drop(database);
    });
    beforeEach(() => counter.reset());

    it('does not seed twice: a second start keeps the records it finds', async () => {
      expect(await target.adapter.seed(database, region, CODE)).toBe(false);
    });

    it('loads a batch of credentials in one statement, in request order, null for ids it does not own', async () => {
      const sample = mine.credentials.slice(0, 25);
      const wanted = ['NB:C-000001', ...sample.map((c) => cid(c.localId)).reverse(), 'SB:C-999999'];
      const found = await store.credentialsByIds(wanted);
      expect(counter.count).toBe(1);
      expect(found).toEqual([null, ...sample.map(expectedCredential).reverse(), null]);
    });

    it('maps holders, qualifications and placements into the contract shapes', async () => {
      const h = mine.holders.slice(0, 5);
      expect(await store.holdersByIds(h.map((x) => hid(x.localId)))).toEqual(
        h.map((x) => ({
          id: hid(x.localId),
          municipality: CODE,
          displayName: x.displayName,
          regionalHolderId: x.regionalHolderId,
        })),
      );
      const q = mine.qualifications.slice(0, 4);
      expect(await store.qualificationsByIds([...q.map((x) => qid(x.localId)), 'SB:Q-999'])).toEqual([
        ...q.map((x) => ({
          id: qid(x.localId),
          municipality: CODE,
          code: x.code,
          title: x.title,
          eqfLevel: x.eqfLevel,
          iscoCode: x.iscoCode,
        })),
        null,
      ]);
      const p = mine.placements.slice(0, 6);
      expect(await store.placementsByIds(p.map((x) => pid(x.localId)))).toEqual(
        p.map((x) => ({
          id: pid(x.localId),
          municipality: CODE,
          employer: employerOf(x.employer),
          iscoCode: x.iscoCode,
          startDate: x.startDate,
          endDate: x.endDate,
          credentialId: fixtureCredentialRef(ids, CODE, x.credentialId),
        })),
      );
      expect(counter.count).toBe(3);
    });

    it("lists each holder's credentials in sort-key order, one statement for many holders", async () => {
      const holders = mine.holders.slice(0, 12);
      const lists = await store.credentialsByHolderIds(holders.map((h) => hid(h.localId)));
      expect(counter.count).toBe(1);
      const key = (c: CredentialRecord) => [c.validFrom, CODE, local(c.id)];
      expect(lists).toEqual(
        holders.map((h) =>
          mine.credentials
            .filter((c) => c.holderLocalId === h.localId)
            .map(expectedCredential)
            .sort(byKey(key)),
        ),
      );
    });

    it('finds credentials by regional holder id, and none outside the requested municipalities', async () => {
      const h = mine.holders.slice(3, 8);
      const rhids = [...h.map((x) => x.regionalHolderId), 'unknown-holder-id'];
      const lists = await store.credentialsByRegionalHolderIds(rhids, null);
      const expected = rhids.map((r) =>
        mine.credentials
          .filter((c) => mine.holders.find((x) => x.localId === c.holderLocalId)?.regionalHolderId === r)
          .map((c) => cid(c.localId))
          .sort(),
      );
      expect(lists.map((l) => l.map((c) => c.id).sort())).toEqual(expected);
      expect(await store.credentialsByRegionalHolderIds(rhids, ['NB'])).toEqual(rhids.map(() => []));
    });

    it('pages credentials in compareSortKeys order across page boundaries, two statements a page', async () => {
      const result = await walk((after) => store.credentialPage({ municipalities: null, after, first: 7 }));
      expect(result.pages).toBeGreaterThan(3);
      expect(counter.count).toBe(result.pages * 2);
      expect(result.total).toBe(mine.credentials.length);
      const expected = mine.credentials
        .map((c) => ({
          record: expectedCredential(c),
          key: [c.validFrom, CODE, local(cid(c.localId))] as SortKey,
        }))
        .sort(byKey((x) => x.key));
      expect(result.items).toEqual(expected);
    });

    it('pages placements in compareSortKeys order and honours a position from another municipality', async () => {
      const all = await walk((after) => store.placementPage({ municipalities: null, after, first: 11 }));
      const keys = all.items.map((i) => i.key);
      expect(keys).toEqual(
        mine.placements
          .map((p) => [p.startDate, CODE, local(pid(p.localId))] as SortKey)
          .sort(compareSortKeys),
      );
      const pivot = keys[40] as SortKey;
      for (const other of ['AA', 'ZZ']) {
        const after: SortKey = [pivot[0] as string, other, 'P-000001'];
        const page = await store.placementPage({ municipalities: null, after, first: 100 });
        const expected = keys.filter((k) => compareSortKeys(k, after) > 0);
        expect(page.items.map((i) => i.key)).toEqual(expected.slice(0, 100));
      }
      expect(await store.placementPage({ municipalities: ['NB'], after: null, first: 5 })).toEqual({
        items: [],
        hasMore: false,
        total: 0,
      });
    });

    it.each(['YEAR', 'QUARTER', 'MONTH'] as const)(
      'computes %s flows in SQL equal to a count over the seed data',
      async (granularity) => {
        const query: FlowQuery = {
          from: ['NB', 'SB', 'RV'],
          to: [CODE],
          iscoPrefix: '7',
          startFrom: '2020-03-01',
          startTo: '2025-10-31',
          granularity,
        };
        const rows = await store.placementFlows(query);
        expect(counter.count).toBe(1);
        const label = (d: string) =>
          granularity === 'YEAR'
            ? d.slice(0, 4)
            : granularity === 'MONTH'
              ? d.slice(0, 7)
              : `${d.slice(0, 4)}-Q${Math.ceil(Number(d.slice(5, 7)) / 3)}`;
        const expected = new Map<string, number>();
        for (const p of mine.placements) {
          if (!p.iscoCode.startsWith('7') || p.startDate < '2020-03-01' || p.startDate > '2025-10-31')
            continue;
          const k = `${p.credentialId.split(':')[0]}|${CODE}|${p.iscoCode}|${label(p.startDate)}`;
          expected.set(k, (expected.get(k) ?? 0) + 1);
        }
        expect(
          new Map(rows.map((r) => [`${r.from}|${r.to}|${r.iscoCode}|${r.period}`, r.placements])),
        ).toEqual(expected);
        expect(await store.placementFlows({ ...query, to: ['NB'] })).toEqual([]);
      },
    );

    it('returns stored verification hashes, null for ids it does not hold', async () => {
      const c = mine.credentials[5];
      const hashes = await store.verificationHashesByIds([
        cid(c?.localId ?? ''),
        'SB:C-999999',
        'NB:C-000001',
      ]);
      expect(hashes).toEqual([verificationHash(c?.verificationCode ?? ''), null, null]);
    });

    it('reads through a login that may not write, where the engine has logins', async () => {
      if (target.writeAsReader === null) {
        expect(reader).toBe(database);
        return;
      }
      expect(reader).not.toBe(database);
      await expect(target.writeAsReader(reader)).rejects.toThrow();
    });

    describe('with bad rows in the legacy tables', () => {
      let corrupted = '';
      let store: RegisterReads;
      beforeAll(async () => {
        corrupted = await target.create();
        await target.adapter.seed(corrupted, region, CODE);
        await target.exec(corrupted, target.corruptions);
        const reader = await target.adapter.readOnlyAccess(corrupted);
        store = await target.adapter.open({ reader, owner: corrupted }, CODE);
      }, HOOK_TIMEOUT);
      afterAll(async () => {
        await store?.close();
        if (corrupted) await target.drop(corrupted);
      });

      it('fails each bad credential alone with INVALID_RECORD naming municipality and record', async () => {
        const good = mine.credentials[0];
        const badIds = [bad.malformedDate, bad.unknownStatus, bad.danglingQualification].map(gid);
        const found = await store.credentialsByIds([...badIds, cid(good?.localId ?? '')]);
        expect(found[3]).toEqual(good && expectedCredential(good));
        for (const [i, id] of badIds.entries()) {
          const e = errorOf(found[i]);
          expect(e.extensions).toEqual({ code: 'INVALID_RECORD', municipality: CODE, recordId: id });
          expect(e.message).toContain(id);
        }
        expect(errorOf(found[1]).message).toMatch(/status|state/);
        expect(errorOf(found[2]).message).toMatch(/Q-999|BG999|999/);
      });

      it('keeps bad rows in their page slots and still walks every page to the end', async () => {
        const result = await walk((after) => store.credentialPage({ municipalities: null, after, first: 6 }));
        const keys = result.items.map((i) => i.key);
        expect([...keys].sort(compareSortKeys)).toEqual(keys);
        expect(new Set(keys.map((k) => JSON.stringify(k))).size).toBe(keys.length);
        const errors = result.items.filter((i) => i.record instanceof Error).map((i) => errorOf(i.record));
        expect(errors.map((e) => e.extensions?.recordId).sort()).toEqual(
          [bad.malformedDate, bad.unknownStatus, bad.danglingQualification].map(gid).sort(),
        );
        expect(result.items.length).toBe(mine.credentials.length + 3);
      });

      it('fails a bad placement alone and leaves holder lookups to the good records', async () => {
        const [badPlacement, good] = await store.placementsByIds([
          gid(bad.placement),
          pid(mine.placements[0]?.localId ?? ''),
        ]);
        expect(errorOf(badPlacement).extensions).toMatchObject({
          code: 'INVALID_RECORD',
          recordId: gid(bad.placement),
        });
        expect(good).not.toBeInstanceOf(Error);
        const [list] = await store.credentialsByHolderIds([hid('H-000001')]);
        expect(list?.map((c) => c.id).sort()).toEqual(
          mine.credentials
            .filter((c) => c.holderLocalId === 'H-000001')
            .map((c) => cid(c.localId))
            .sort(),
        );
      });
    });

    describeRegisterWrites(target, region);
  });
}
