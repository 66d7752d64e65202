// What every adapter folder's index.ts exports: seed its legacy shape, grant read-only access, open.
import type { Logger as DrizzleLogger } from 'drizzle-orm';
import type { RegionData } from '../../../scripts/seed/region';
import type { MunicipalStore } from '../store';

export type Dialect = 'postgresql' | 'mysql' | 'sqlite';

/** What a legacy register answers; the region's own records (decisions, appeals, write log) live beside it. */
export type RegisterReads = Omit<
  MunicipalStore,
  | 'decisionsByIds'
  | 'appealsByDecisionIds'
  | 'issueCredential'
  | 'changeCredentialState'
  | 'registerPlacement'
  | 'recordDecision'
  | 'fileAppeal'
  | 'resolveAppeal'
  | 'historyOf'
>;

export interface MunicipalAdapter {
  readonly name: string;
  readonly dialect: Dialect;
  /**
   * Creates the legacy tables (with their indexes) when missing and writes municipality `code`'s
   * share of `region` in the legacy shape, unless records are already there. True when it wrote.
   */
  seed(database: string, region: RegionData, code: string): Promise<boolean>;
  /**
   * Makes sure a read-only login exists for the read path and returns the address that uses it.
   * Engines without users (PGlite, SQLite) return `database` and are opened read-only instead.
   */
  readOnlyAccess(database: string): Promise<string>;
  /** Opens the reads of municipality `code` over `database` (the read-only address). */
  open(database: string, code: string, logger?: DrizzleLogger): Promise<RegisterReads>;
}
