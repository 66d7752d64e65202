// What every adapter folder's index.ts exports: seed its legacy shape, grant read-only access, open.

import type { Logger as DrizzleLogger } from 'drizzle-orm';
import type { RegionData } from '../../../common/region-records';
import type { SqlObserver } from '../../../common/sql-observer';
import type { MunicipalStore, NewCredential, NewPlacement, RecordedStatus } from '../store';

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

/**
 * A register's own writes, each in one transaction of the register and in its own shape (codes,
 * dates, keys). Each is safe to repeat: register-writes-across-databases.ts runs them inside the two-step protocol
 * that keeps the idempotency key and the write log in the side database.
 */
export interface RegisterWriter {
  /**
   * A new local id in the register's own scheme, above every id in the register and every id in
   * `reserved` (ids planned by writes not yet applied); `firstDay` is the record's first date.
   */
  allocateLocalId(
    kind: 'credential' | 'placement',
    firstDay: string,
    reserved: readonly string[],
  ): Promise<string>;
  /** Inserts the credential under `localId`; false, changing nothing, when a row already has that key. */
  insertCredential(localId: string, input: NewCredential, clerk: string): Promise<boolean>;
  /** Inserts the placement under `localId`; false, changing nothing, when a row already has that key. */
  insertPlacement(localId: string, input: NewPlacement): Promise<boolean>;
  /** Sets the state to `to` only where it is `from` (compare and set); false when it was not. */
  setCredentialState(localId: string, from: RecordedStatus, to: RecordedStatus): Promise<boolean>;
  close(): Promise<void>;
}

/** Where a register is reached: the read-only login for reads, the owner's for writes. */
export interface RegisterAccess {
  reader: string;
  owner: string;
}

/** An open register: its reads, and its writer on the owner's connection. */
export interface Register extends RegisterReads {
  readonly writer: RegisterWriter;
}

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
  /**
   * Opens municipality `code`'s register: reads through `access.reader` (read-only), writes through
   * `access.owner`. close() closes both.
   */
  /** `observe` counts and traces every statement of the read path. */
  open(
    access: RegisterAccess,
    code: string,
    logger?: DrizzleLogger,
    observe?: SqlObserver,
  ): Promise<Register>;
}
