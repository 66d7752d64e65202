// The write half of the adapter behaviour suite: credential and placement writes land in the
// register in its own shape, once per key, with their history in the side database, on every engine.

import { payloadHash } from '../../common/idempotency';
import { openPostgres, type PgHandle } from '../../common/postgres';
import { type RegionData, recordsOf } from '../../common/region-records';
import { fixtureIds } from '../../subgraphs/municipal/adapters/kit/fixtures';
import type { IdAllocation } from '../../subgraphs/municipal/adapters/kit/mapping';
import { withSideRecords } from '../../subgraphs/municipal/adapters/register-with-side-records';
import type {
  RegisterPlan,
  WriteFaults,
} from '../../subgraphs/municipal/adapters/register-writes-across-databases';
import type { MunicipalStore, NewCredential, NewPlacement, WriteLog } from '../../subgraphs/municipal/store';
import type { AdapterTarget } from './targets';

const CODE = 'SB';
const HOOK_TIMEOUT = 180_000;
const AT = '2026-11-01T10:00:00.000Z';

const logOf = (
  operation: string,
  payload: unknown,
  key: string,
  reason: string | null = 'test',
): WriteLog => ({
  municipality: CODE,
  idempotencyKey: key,
  operation,
  payloadHash: payloadHash(operation, { payload, reason }),
  actor: 'officer:sb-7',
  reason,
  at: AT,
});

/** Stops the next write at `point` as a crash would, once. */
function crashOnce(faults: WriteFaults, point: keyof WriteFaults) {
  faults[point] = (_plan: RegisterPlan) => {
    faults[point] = undefined;
    throw new Error(`crash ${point}`);
  };
}

/** The id the register's rule gives the next record after `existing` (local ids), first dated `day`. */
function nextId(rule: IdAllocation, existing: Iterable<string>, day: string): string {
  const list = [...existing];
  if (rule.kind === 'max-plus-one') {
    const n = Math.max(
      0,
      ...list.filter((l) => l.startsWith(rule.prefix)).map((l) => Number(l.slice(rule.prefix.length))),
    );
    return `${rule.prefix}${String(n + 1).padStart(rule.width, '0')}`;
  }
  if (rule.kind === 'sequence') return String(Math.max(0, ...list.map(Number)) + 1);
  const year = day.slice(0, 4);
  const n = Math.max(0, ...list.filter((l) => l.startsWith(`${year}`)).map((l) => Number(l.slice(5))));
  return `${year}-${n + 1}`;
}

export function describeRegisterWrites(target: AdapterTarget, region: RegionData) {
  describe('writes into the register, in its own shape', () => {
    const mine = recordsOf(region, [CODE]);
    const { mapping } = target.adapter;
    const ids = fixtureIds(mapping, mine);
    const cid = (generated: string | undefined) => `${CODE}:${ids.credential.get(generated ?? '')}`;
    const active = mine.credentials.filter((c) => c.status === 'ACTIVE');
    const missingEmployer = 'missing' in mapping.placement.employer;
    let database = '';
    let side: PgHandle;
    let store: MunicipalStore;
    const faults: WriteFaults = {};

    const credential: NewCredential = {
      municipality: CODE,
      holderId: `${CODE}:${ids.holder.get(mine.holders[2]?.localId ?? '')}`,
      qualificationId: `${CODE}:${ids.qualification.get(mine.qualifications[1]?.localId ?? '')}`,
      validFrom: '2026-10-01',
      validUntil: '2031-09-30',
      verificationHash: 'a'.repeat(64),
    };
    const issue = (input: NewCredential, key: string) =>
      store.issueCredential(input, logOf('issueCredential', input, key, 'Passed the final exam'));
    const change = (id: string, action: 'suspend' | 'reinstate' | 'revoke', key: string, reason = 'test') =>
      store.changeCredentialState(id, action, logOf(action, { id }, key, reason));

    beforeAll(async () => {
      database = await target.create();
      await target.adapter.seed(database, region, CODE);
      const reader = await target.adapter.readOnlyAccess(database);
      side = await openPostgres({ kind: 'pglite' });
      store = await withSideRecords(
        await target.adapter.open({ reader, owner: database }, CODE),
        side,
        faults,
      );
    }, HOOK_TIMEOUT);
    afterAll(async () => {
      await store?.close();
      await side?.close();
      if (database) await target.drop(database);
    });

    it('issues a credential under the next local id, visible to reads and verification', async () => {
      const issued = await issue(credential, 'writes-issue-0001');
      expect(issued).toEqual({
        id: `${CODE}:${nextId(mapping.credential.allocate, ids.credential.values(), '2026-10-01')}`,
        municipality: CODE,
        holderId: credential.holderId,
        qualificationId: credential.qualificationId,
        state: 'ACTIVE',
        validFrom: '2026-10-01',
        validUntil: '2031-09-30',
      });
      expect(await store.credentialsByIds([issued.id])).toEqual([issued]);
      expect(await store.verificationHashesByIds([issued.id])).toEqual([credential.verificationHash]);
      const [list] = await store.credentialsByHolderIds([credential.holderId]);
      expect(list?.map((c) => c.id)).toContain(issued.id);
    });

    it('returns the first result for a retry under the same key and issues nothing more', async () => {
      const input = { ...credential, validUntil: null, verificationHash: 'b'.repeat(64) };
      const first = await issue(input, 'writes-issue-0002');
      const again = await issue(input, 'writes-issue-0002');
      expect(again).toEqual(first);
      const page = await store.credentialPage({ municipalities: null, after: null, first: 0 });
      expect(page.total).toBe(mine.credentials.length + 2);
    });

    it('refuses another payload under a used key with IDEMPOTENCY_CONFLICT', async () => {
      await expect(
        issue({ ...credential, validFrom: '2026-10-02' }, 'writes-issue-0001'),
      ).rejects.toMatchObject({ extensions: { code: 'IDEMPOTENCY_CONFLICT' } });
      await expect(change(cid(active[0]?.localId), 'revoke', 'writes-issue-0001')).rejects.toMatchObject({
        extensions: { code: 'IDEMPOTENCY_CONFLICT' },
      });
    });

    it('refuses unknown holders and qualifications with NOT_FOUND, writing nothing', async () => {
      await expect(
        issue({ ...credential, holderId: `${CODE}:H-999999` }, 'writes-issue-0003'),
      ).rejects.toMatchObject({
        extensions: { code: 'NOT_FOUND' },
      });
      await expect(
        issue({ ...credential, qualificationId: `${CODE}:Q-999` }, 'writes-issue-0004'),
      ).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
      const page = await store.credentialPage({ municipalities: null, after: null, first: 0 });
      expect(page.total).toBe(mine.credentials.length + 2);
    });

    it('suspends, reinstates and revokes; the next read shows REVOKED; invalid moves are INVALID_TRANSITION', async () => {
      const id = cid(active[1]?.localId);
      await expect(change(id, 'reinstate', 'writes-state-0001')).rejects.toMatchObject({
        extensions: { code: 'INVALID_TRANSITION', recordId: id },
      });
      expect(await change(id, 'suspend', 'writes-state-0002')).toMatchObject({ id, state: 'SUSPENDED' });
      await expect(change(id, 'suspend', 'writes-state-0003')).rejects.toMatchObject({
        extensions: { code: 'INVALID_TRANSITION' },
      });
      expect(await change(id, 'reinstate', 'writes-state-0004')).toMatchObject({ id, state: 'ACTIVE' });
      const revoked = await change(id, 'revoke', 'writes-state-0005', 'Obtained by fraud');
      expect(revoked).toMatchObject({ id, state: 'REVOKED' });
      expect(await store.credentialsByIds([id])).toEqual([revoked]);
      expect(await change(id, 'revoke', 'writes-state-0005', 'Obtained by fraud')).toEqual(revoked);
      await expect(change(id, 'reinstate', 'writes-state-0006')).rejects.toMatchObject({
        extensions: { code: 'INVALID_TRANSITION' },
      });
      const [history] = await store.historyOf([id]);
      expect(history).toEqual(
        (
          [
            ['suspend', 'SUSPENDED'],
            ['reinstate', 'ACTIVE'],
            ['revoke', 'REVOKED'],
          ] as const
        ).map(([operation, status]) => ({
          operation,
          target: id,
          actor: 'officer:sb-7',
          reason: operation === 'revoke' ? 'Obtained by fraud' : 'test',
          at: AT,
          // The status history: what each write left, read from its logged result.
          status,
        })),
      );
    });

    it('registers a placement under the next local id in the register', async () => {
      const input: NewPlacement = {
        municipality: CODE,
        credentialId: 'NB:C-000004',
        employer: 'Harbour Works',
        iscoCode: '7411',
        startDate: '2026-10-15',
        endDate: null,
      };
      const log = logOf('registerPlacement', input, 'writes-placement-0001');
      const placed = await store.registerPlacement(input, log);
      expect(placed).toEqual({
        id: `${CODE}:${nextId(mapping.placement.allocate, ids.placement.values(), '2026-10-15')}`,
        municipality: CODE,
        employer: missingEmployer ? null : 'Harbour Works',
        iscoCode: '7411',
        startDate: '2026-10-15',
        endDate: null,
        credentialId: 'NB:C-000004',
      });
      expect(await store.placementsByIds([placed.id])).toEqual([placed]);
      expect(await store.registerPlacement(input, log)).toEqual(placed);
      const [history] = await store.historyOf([placed.id]);
      expect(history?.map((h) => h.operation)).toEqual(['registerPlacement']);
    });

    it('finishes a write that crashed after the register changed, without applying it twice', async () => {
      const id = cid(active[2]?.localId);
      crashOnce(faults, 'afterRegister');
      await expect(change(id, 'suspend', 'writes-crash-0001')).rejects.toThrow('crash afterRegister');
      expect(await store.credentialsByIds([id])).toMatchObject([{ state: 'SUSPENDED' }]);
      expect(await store.historyOf([id])).toEqual([[]]);
      expect(await change(id, 'suspend', 'writes-crash-0001')).toMatchObject({ id, state: 'SUSPENDED' });
      expect((await store.historyOf([id]))[0]?.map((h) => h.operation)).toEqual(['suspend']);

      const input = { ...credential, verificationHash: 'c'.repeat(64) };
      crashOnce(faults, 'afterRegister');
      await expect(issue(input, 'writes-crash-0002')).rejects.toThrow('crash afterRegister');
      const before = await store.credentialPage({ municipalities: null, after: null, first: 0 });
      const issued = await issue(input, 'writes-crash-0002');
      const after = await store.credentialPage({ municipalities: null, after: null, first: 0 });
      expect(after.total).toBe(before.total);
      expect(await store.verificationHashesByIds([issued.id])).toEqual([input.verificationHash]);
      expect((await store.historyOf([issued.id]))[0]?.map((h) => h.operation)).toEqual(['issueCredential']);
    });

    it('applies a write that crashed before the register changed once, on its retry', async () => {
      const id = cid(active[3]?.localId);
      crashOnce(faults, 'beforeRegister');
      await expect(change(id, 'revoke', 'writes-crash-0003')).rejects.toThrow('crash beforeRegister');
      expect(await store.credentialsByIds([id])).toMatchObject([{ state: 'ACTIVE' }]);
      expect(await change(id, 'revoke', 'writes-crash-0003')).toMatchObject({ id, state: 'REVOKED' });
      expect((await store.historyOf([id]))[0]?.map((h) => h.operation)).toEqual(['revoke']);
    });
  });
}
