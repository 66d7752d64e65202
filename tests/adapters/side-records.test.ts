// A legacy municipality's side database: decisions, appeals and the write log live there, and a
// register write left half-done by a crash is finished (or dropped) when the store opens again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { payloadHash } from '../../common/idempotency';
import { openPostgres, type PgHandle } from '../../common/postgres';
import { withSideRecords } from '../../subgraphs/municipal/adapters/register-with-side-records';
import type { WriteFaults } from '../../subgraphs/municipal/adapters/register-writes-across-databases';
import { sqliteCamelAdapter } from '../../subgraphs/municipal/adapters/sqlite-camel';
import type { MunicipalStore, NewDecision, WriteLog } from '../../subgraphs/municipal/store';
import { region } from './behaviour';

const dir = mkdtempSync(join(tmpdir(), 'crossgate-side-records-'));
const database = join(dir, 'register.sqlite');
const sideDir = join(dir, 'side');
let side: PgHandle;
let store: MunicipalStore;

const open = async (faults: WriteFaults = {}) => {
  side = await openPostgres({ kind: 'pglite', dataDir: sideDir });
  store = await withSideRecords(
    await sqliteCamelAdapter.open({ reader: database, owner: database }, 'SB'),
    side,
    faults,
  );
};
const reopen = async () => {
  await store.close();
  await side.close();
  await open();
};

beforeAll(async () => {
  await sqliteCamelAdapter.seed(database, region, 'SB');
  await open();
}, 180_000);
afterAll(async () => {
  await store?.close();
  await side?.close();
  rmSync(dir, { recursive: true, force: true });
});

const log = (operation: string, payload: unknown, key: string): WriteLog => ({
  municipality: 'SB',
  idempotencyKey: key,
  operation,
  payloadHash: payloadHash(operation, payload),
  actor: 'officer:sb-1',
  reason: 'test',
  at: '2026-11-01T10:00:00.000Z',
});

describe('the records a legacy municipality keeps beside its register', () => {
  it('records a decision once per key, reads it back and keeps its history', async () => {
    const input: NewDecision = {
      municipality: 'SB',
      credentialId: 'NB:C-000001',
      decidedFor: '2026-11-01',
      outcome: 'RECOGNISED',
      reason: null,
      agreementId: null,
      clause: null,
      inputs: '{}',
      note: null,
    };
    const first = await store.recordDecision(input, log('recordDecision', input, 'key-decision-0001'));
    const again = await store.recordDecision(input, log('recordDecision', input, 'key-decision-0001'));
    expect(again).toEqual(first);
    expect(first.id).toMatch(/^SB:D-\d{6}$/);
    expect(await store.decisionsByIds([first.id, 'SB:D-999999'])).toEqual([first, null]);
    const [history] = await store.historyOf([first.id]);
    expect(history?.map((h) => h.operation)).toEqual(['recordDecision']);
  });

  it('on opening, finishes a write whose change reached the register and drops one that did not', async () => {
    const [reached, missed] = region.credentials
      .filter((c) => c.municipality === 'SB' && c.status === 'ACTIVE')
      .map((c) => `SB:${c.localId}`);
    if (!reached || !missed) throw new Error('the seed has too few active credentials');
    await store.close();
    await side.close();
    const faults: WriteFaults = {
      afterRegister: () => {
        throw new Error('crash after the register');
      },
    };
    await open(faults);
    await expect(
      store.changeCredentialState(reached, 'revoke', log('revoke', { reached }, 'key-recover-0001')),
    ).rejects.toThrow('crash after the register');
    faults.afterRegister = undefined;
    faults.beforeRegister = () => {
      throw new Error('crash before the register');
    };
    await expect(
      store.changeCredentialState(missed, 'revoke', log('revoke', { missed }, 'key-recover-0002')),
    ).rejects.toThrow('crash before the register');
    await reopen();
    const [one, other] = await store.credentialsByIds([reached, missed]);
    expect(one).toMatchObject({ state: 'REVOKED' });
    expect(other).toMatchObject({ state: 'ACTIVE' });
    const [history, none] = await store.historyOf([reached, missed]);
    expect(history?.map((h) => [h.operation, h.actor])).toEqual([['revoke', 'officer:sb-1']]);
    expect(none).toEqual([]);
    await expect(
      store.changeCredentialState(reached, 'revoke', log('revoke', { reached }, 'key-recover-0001')),
    ).resolves.toMatchObject({ id: reached, state: 'REVOKED' });
  });
});
