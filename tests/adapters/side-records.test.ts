// A legacy register is only read: decisions, appeals and the write log live in its side database,
// while changes to credentials and placements are refused with READ_ONLY_REGISTER.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { payloadHash } from '../../subgraphs/common/idempotency';
import { openPostgres, type PgHandle } from '../../subgraphs/common/postgres';
import { withSideRecords } from '../../subgraphs/municipal/adapters/side-records';
import { sqliteCamelAdapter } from '../../subgraphs/municipal/adapters/sqlite-camel';
import type { MunicipalStore, NewDecision, WriteLog } from '../../subgraphs/municipal/store';
import { region } from './behaviour';

const dir = mkdtempSync(join(tmpdir(), 'crossgate-side-records-'));
let side: PgHandle;
let store: MunicipalStore;

beforeAll(async () => {
  const database = join(dir, 'register.sqlite');
  await sqliteCamelAdapter.seed(database, region, 'SB');
  side = await openPostgres({ kind: 'pglite' });
  store = await withSideRecords(await sqliteCamelAdapter.open(database, 'SB'), side);
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

  it('refuses to change credentials or placements, naming the municipality', async () => {
    const issue = store.issueCredential(
      {
        municipality: 'SB',
        holderId: 'SB:H-000001',
        qualificationId: 'SB:Q-001',
        validFrom: '2026-01-01',
        validUntil: null,
        verificationHash: 'x'.repeat(64),
      },
      log('issueCredential', {}, 'key-issue-0001'),
    );
    await expect(issue).rejects.toMatchObject({
      extensions: { code: 'READ_ONLY_REGISTER', municipality: 'SB' },
    });
    await expect(
      store.changeCredentialState('SB:C-000001', 'revoke', log('revoke', {}, 'key-revoke-0001')),
    ).rejects.toMatchObject({ extensions: { code: 'READ_ONLY_REGISTER' } });
    const [still] = await store.credentialsByIds(['SB:C-000001']);
    expect(still).toMatchObject({ id: 'SB:C-000001' });
  });
});
