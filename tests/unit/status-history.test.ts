// The status in force on a date, from a credential's status history: a table of histories and dates.
import { type RecordedStatus, recordedStatusOn, statusChangesOf } from '../../schema/credential-status';

const entry = (operation: string, at: string, status: RecordedStatus | null) => ({ operation, at, status });

describe('statusChangesOf', () => {
  it('gives each credential write the status before it, skipping writes that left no status', () => {
    expect(
      statusChangesOf([
        entry('suspendCredential', '2026-10-01T09:00:00.000Z', 'SUSPENDED'),
        entry('recordRecognitionDecision', '2026-10-02T09:00:00.000Z', null),
        entry('reinstateCredential', '2026-10-31T09:00:00.000Z', 'ACTIVE'),
        entry('revokeCredential', '2026-11-05T09:00:00.000Z', 'REVOKED'),
      ]),
    ).toEqual([
      { at: '2026-10-01T09:00:00.000Z', status: 'SUSPENDED', previous: 'ACTIVE' },
      { at: '2026-10-31T09:00:00.000Z', status: 'ACTIVE', previous: 'SUSPENDED' },
      { at: '2026-11-05T09:00:00.000Z', status: 'REVOKED', previous: 'ACTIVE' },
    ]);
  });

  it('starts a first reinstatement from SUSPENDED, and a first revocation from ACTIVE', () => {
    expect(
      statusChangesOf([entry('reinstateCredential', '2026-10-31T09:00:00.000Z', 'ACTIVE')])[0]?.previous,
    ).toBe('SUSPENDED');
    expect(
      statusChangesOf([entry('revokeCredential', '2026-10-31T09:00:00.000Z', 'REVOKED')])[0]?.previous,
    ).toBe('ACTIVE');
  });
});

describe('recordedStatusOn', () => {
  const history = statusChangesOf([
    entry('suspendCredential', '2026-10-01T09:00:00.000Z', 'SUSPENDED'),
    entry('reinstateCredential', '2026-10-31T09:00:00.000Z', 'ACTIVE'),
    entry('revokeCredential', '2026-12-01T09:00:00.000Z', 'REVOKED'),
  ]);
  it.each([
    ['2026-09-30', 'ACTIVE'],
    ['2026-10-01', 'SUSPENDED'],
    ['2026-10-30', 'SUSPENDED'],
    ['2026-10-31', 'ACTIVE'],
    ['2026-11-30', 'ACTIVE'],
    ['2026-12-01', 'REVOKED'],
    ['2027-06-01', 'REVOKED'],
  ] as const)('on %s the credential was %s', (date, status) => {
    expect(recordedStatusOn('REVOKED', history, date)).toBe(status);
  });

  it('takes the current status when the history records no change', () => {
    expect(recordedStatusOn('SUSPENDED', [], '2020-01-01')).toBe('SUSPENDED');
  });
});
