// A credential's status, one union for the contract's enum CredentialStatus: what a register records,
// and EXPIRED, which no register stores because it follows from the validity window.
export const CREDENTIAL_STATUSES = ['ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED'] as const;
export type CredentialStatus = (typeof CREDENTIAL_STATUSES)[number];

/** The statuses a register records; EXPIRED is derived (statusOn). */
export type RecordedStatus = Exclude<CredentialStatus, 'EXPIRED'>;
export const RECORDED_STATUSES: readonly RecordedStatus[] = ['ACTIVE', 'SUSPENDED', 'REVOKED'];

export function isRecordedStatus(value: unknown): value is RecordedStatus {
  return RECORDED_STATUSES.includes(value as RecordedStatus);
}

/** The status clients see on `today`: an active credential past its validity window is EXPIRED. */
export function statusOn(
  c: { state: RecordedStatus; validUntil: string | null },
  today: string,
): CredentialStatus {
  if (c.state === 'ACTIVE' && c.validUntil !== null && c.validUntil < today) return 'EXPIRED';
  return c.state;
}

/** One write to a credential as its status history: the instant, the status it left, the one before. */
export interface StatusChange {
  at: string;
  status: RecordedStatus;
  previous: RecordedStatus;
}

/** Where a first logged write started from; a revocation's prior state is not logged and is taken as ACTIVE. */
const STARTS_FROM: Record<string, RecordedStatus> = {
  issueCredential: 'ACTIVE',
  suspendCredential: 'ACTIVE',
  reinstateCredential: 'SUSPENDED',
  revokeCredential: 'ACTIVE',
};

/** A credential's status history from its write log (oldest first): entries without a status are skipped. */
export function statusChangesOf(
  entries: readonly { operation: string; at: string; status: RecordedStatus | null }[],
): StatusChange[] {
  const changes: StatusChange[] = [];
  for (const e of entries) {
    if (!e.status) continue;
    const previous = changes.at(-1)?.status ?? STARTS_FROM[e.operation] ?? e.status;
    changes.push({ at: e.at, status: e.status, previous });
  }
  return changes;
}

/**
 * The recorded status in force on `date` (YYYY-MM-DD, through its end): the status the last change
 * on or before that day left; before the first change, the status it started from; with no change
 * at all, the current one.
 */
export function recordedStatusOn(
  current: RecordedStatus,
  changes: readonly StatusChange[],
  date: string,
): RecordedStatus {
  let inForce: RecordedStatus | null = null;
  for (const c of changes) {
    if (c.at.slice(0, 10) <= date) inForce = c.status;
  }
  return inForce ?? changes[0]?.previous ?? current;
}
