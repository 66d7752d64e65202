// What a municipality adapter implements: its records in the contract's shapes, read in batches.
import type { RecordedStatus } from '../../schema/credential-status';
import type { CursorKey } from '../../schema/cursor';
import type { FlowQuery } from '../../schema/flows';

export type { FlowQuery, Granularity } from '../../schema/flows';
export type { RecordedStatus };

export interface CredentialRecord {
  id: string;
  municipality: string;
  holderId: string;
  qualificationId: string;
  state: RecordedStatus;
  validFrom: string;
  validUntil: string | null;
}

export interface HolderRecord {
  id: string;
  municipality: string;
  displayName: string;
  regionalHolderId: string;
}

export interface QualificationRecord {
  id: string;
  municipality: string;
  code: string;
  title: string;
  eqfLevel: number | null;
  iscoCode: string | null;
}

export interface PlacementRecord {
  id: string;
  municipality: string;
  /** Null where the register does not record the employer (see docs/onboarding.md). */
  employer: string | null;
  iscoCode: string;
  startDate: string;
  endDate: string | null;
  credentialId: string;
}

/** Position of a record in its connection's total order: the contract's cursor key, ordered by compareSortKeys. */
export type SortKey = CursorKey;

export interface PageRequest {
  /** Restrict to these municipality codes; null means every code the store owns. */
  municipalities: readonly string[] | null;
  after: SortKey | null;
  first: number;
}

export interface Page<T> {
  /** Records that exist but cannot be mapped keep their slot as an Error (reported, not dropped). */
  items: { record: T | Error; key: SortKey }[];
  hasMore: boolean;
  total: number;
}

/** One GROUP BY cell: raw counts, never suppressed here (the gateway suppresses after summing). */
export interface FlowRow {
  from: string;
  to: string;
  iscoCode: string;
  /** "2024", "2024-Q1" or "2024-03" by granularity. */
  period: string;
  placements: number;
}

/** What the issuer holds of one credential that its recognition rests on (no holder data). */
export interface CredentialFacts {
  id: string;
  qualificationId: string;
  eqfLevel: number | null;
  status: RecordedStatus;
  validFrom: string;
  validUntil: string | null;
}

export type Validity = 'VALID' | 'NOT_YET_VALID' | 'EXPIRED';

/** Placements grouped by what decides their recognition; computed in SQL, no personal data. */
export interface RecognitionGroupRow {
  from: string;
  to: string;
  /** Null (with status) when neither this store nor the supplied facts know the credential. */
  qualificationId: string | null;
  eqfLevel: number | null;
  status: RecordedStatus | null;
  /** The credential's validity on each start date of the group. */
  validity: Validity;
  /** The greatest change date on or before the start dates, or "0001-01-01". */
  since: string;
  placements: number;
}

/** What a verification reads of one credential (see MunicipalStore.verificationsByIds). */
export interface VerificationRecord {
  credential: CredentialRecord | Error;
  verificationHash: string | null;
  holder: HolderRecord | null;
  qualification: QualificationRecord | null;
}

/** A record that exists but cannot be mapped to the contract stands as an Error in its slot. */
export type Loaded<T> = T | Error | null;

export interface MunicipalStore {
  /** Municipality codes whose records this store holds. */
  readonly municipalities: readonly string[];
  credentialsByIds(ids: readonly string[]): Promise<Loaded<CredentialRecord>[]>;
  credentialsByHolderIds(holderIds: readonly string[]): Promise<CredentialRecord[][]>;
  credentialsByRegionalHolderIds(
    regionalHolderIds: readonly string[],
    municipalities: readonly string[] | null,
  ): Promise<CredentialRecord[][]>;
  credentialPage(request: PageRequest): Promise<Page<CredentialRecord>>;
  holdersByIds(ids: readonly string[]): Promise<Loaded<HolderRecord>[]>;
  qualificationsByIds(ids: readonly string[]): Promise<Loaded<QualificationRecord>[]>;
  placementsByIds(ids: readonly string[]): Promise<Loaded<PlacementRecord>[]>;
  placementPage(request: PageRequest): Promise<Page<PlacementRecord>>;
  /** Counts of placements grouped by (from, to, iscoCode, period), computed in SQL. */
  placementFlows(query: FlowQuery): Promise<FlowRow[]>;
  /** Distinct credential ids named by the filtered placements whose issuer this store does not hold. */
  flowCredentialsUsed(query: FlowQuery): Promise<string[]>;
  /**
   * The filtered placements grouped as RecognitionGroupRow in one statement: credentials of this
   * store's municipalities are joined locally, the others through `facts` (from their issuers);
   * start dates are bucketed by `changeDates` (ascending).
   */
  placementRecognitionGroups(
    query: FlowQuery,
    facts: readonly CredentialFacts[],
    changeDates: readonly string[],
  ): Promise<RecognitionGroupRow[]>;
  /** The stored hash of each credential's verification code (never the code itself). */
  verificationHashesByIds(ids: readonly string[]): Promise<(string | null)[]>;
  /**
   * Optional: each credential with its code hash, holder and qualification in one statement, for
   * a verification. Stores without it answer through the three reads above.
   */
  verificationsByIds?(ids: readonly string[]): Promise<(VerificationRecord | null)[]>;
  decisionsByIds(ids: readonly string[]): Promise<(DecisionRecord | null)[]>;
  appealsByDecisionIds(decisionIds: readonly string[]): Promise<AppealRecord[][]>;

  // Writes. Each runs once per (municipality, idempotency key) in one transaction with its entry in
  // the write log: a repeated key with the same operation and payload hash returns the logged
  // result (see replay() in common/idempotency.ts); with another, IDEMPOTENCY_CONFLICT.
  issueCredential(input: NewCredential, log: WriteLog): Promise<CredentialRecord>;
  /** Applies a lifecycle action, checked by nextCredentialState() against the current state. */
  changeCredentialState(id: string, action: CredentialAction, log: WriteLog): Promise<CredentialRecord>;
  registerPlacement(input: NewPlacement, log: WriteLog): Promise<PlacementRecord>;
  recordDecision(input: NewDecision, log: WriteLog): Promise<DecisionRecord>;
  fileAppeal(decisionId: string, grounds: string, log: WriteLog): Promise<AppealRecord>;
  /** Resolves an OPEN appeal; any other status is INVALID_TRANSITION. */
  resolveAppeal(id: string, outcome: 'UPHELD' | 'OVERTURNED', log: WriteLog): Promise<AppealRecord>;
  /** The write log of one record (global id), oldest first: who, when, why. */
  historyOf(targets: readonly string[]): Promise<WriteEntry[][]>;
  close(): Promise<void>;
}

/** What a write records beside its change; the store checks the key before applying. */
export interface WriteLog {
  /** The municipality whose database records the write. */
  municipality: string;
  idempotencyKey: string;
  operation: string;
  /** payloadHash(operation, payload) of common/idempotency.ts. */
  payloadHash: string;
  actor: string;
  reason: string | null;
  /** The instant of the write, ISO 8601. */
  at: string;
}

export interface WriteEntry {
  operation: string;
  target: string;
  actor: string;
  reason: string | null;
  at: string;
  /** A credential's recorded status after the write (from the logged result); null for other records. */
  status: RecordedStatus | null;
}

export type CredentialAction = 'suspend' | 'reinstate' | 'revoke';

export interface NewCredential {
  municipality: string;
  holderId: string;
  qualificationId: string;
  validFrom: string;
  validUntil: string | null;
  /** sha256 (hex) of the printed code; the code itself is never stored. */
  verificationHash: string;
}

export interface NewPlacement {
  municipality: string;
  credentialId: string;
  employer: string;
  iscoCode: string;
  startDate: string;
  endDate: string | null;
}

export type RecognitionOutcome = 'RECOGNISED' | 'CONDITIONAL' | 'PARTIAL' | 'NOT_RECOGNISED';

export interface NewDecision {
  municipality: string;
  credentialId: string;
  decidedFor: string;
  outcome: RecognitionOutcome;
  reason: string | null;
  agreementId: string | null;
  clause: string | null;
  /** The snapshot of the inputs the decision rested on, as JSON text. */
  inputs: string;
  note: string | null;
}

export interface DecisionRecord extends NewDecision {
  id: string;
  decidedBy: string;
  recordedAt: string;
}

export type AppealStatus = 'OPEN' | 'UPHELD' | 'OVERTURNED';

export interface AppealRecord {
  id: string;
  decisionId: string;
  grounds: string;
  status: AppealStatus;
  filedAt: string;
  resolvedAt: string | null;
  resolution: string | null;
}

/** The state a lifecycle action leads to, or null when it is not allowed from `current`. */
export function nextCredentialState(
  current: RecordedStatus,
  action: CredentialAction,
): RecordedStatus | null {
  if (current === 'REVOKED') return null;
  if (action === 'revoke') return 'REVOKED';
  if (action === 'suspend') return current === 'ACTIVE' ? 'SUSPENDED' : null;
  return current === 'SUSPENDED' ? 'ACTIVE' : null;
}
