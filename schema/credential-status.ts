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
