// What a municipality adapter implements: its records in the contract's shapes, read in batches.
export type CredentialState = 'ACTIVE' | 'SUSPENDED' | 'REVOKED';

export interface CredentialRecord {
  id: string;
  municipality: string;
  holderId: string;
  qualificationId: string;
  state: CredentialState;
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
  employer: string;
  iscoCode: string;
  startDate: string;
  endDate: string | null;
  credentialId: string;
}

/**
 * Position of a record in its connection's total order. Elements compare in order: numbers
 * numerically, strings by UTF-16 code units; the store's SQL ordering must agree.
 */
export type SortKey = readonly (string | number)[];

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

export type Granularity = 'MONTH' | 'QUARTER' | 'YEAR';

/** Which placements a workforce-flow aggregate counts. Null means no restriction. */
export interface FlowQuery {
  /** Issuing municipalities (the credential id's prefix). */
  from: readonly string[] | null;
  /** Destination municipalities (where the placement is registered). */
  to: readonly string[] | null;
  /** ISCO-08 code prefix, e.g. "7" or "741". */
  iscoPrefix: string | null;
  /** Inclusive range of placement start dates, YYYY-MM-DD. */
  startFrom: string | null;
  startTo: string | null;
  granularity: Granularity;
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
  /** The stored hash of each credential's verification code (never the code itself). */
  verificationHashesByIds(ids: readonly string[]): Promise<(string | null)[]>;
  close(): Promise<void>;
}

/** Compares two sort keys the way every store orders its SQL. */
export function compareSortKeys(a: SortKey, b: SortKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    const sx = String(x);
    const sy = String(y);
    if (sx !== sy) return sx < sy ? -1 : 1;
  }
  return a.length - b.length;
}
