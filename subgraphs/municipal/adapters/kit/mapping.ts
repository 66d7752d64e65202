// What a register's mapping declares: for each contract record its table, columns, conversions,
// references and missing fields, and how the register allocates a new id. The kit reads it.
import type { Column, Table } from 'drizzle-orm';
import type { HolderRecord, NewCredential, RecordedStatus } from '../../store';
import type { Dialect } from '../adapter';

/**
 * How a column holds a date. `date`: a SQL date; `iso-text`: 'YYYY-MM-DD' text; `dotted`:
 * 'DD.MM.YYYY' text; `epoch-seconds`: an integer at UTC midnight; `range-start` / `range-end`: the
 * first / last day of a PostgreSQL daterange (half-open, an open end means none).
 */
export type DateFormat = 'date' | 'iso-text' | 'dotted' | 'epoch-seconds' | 'range-start' | 'range-end';

/** A value that a row cannot be mapped from: the record fails alone with this problem. */
export interface Unreadable {
  unreadable: string;
}

/** A plain column, or one or more columns read through a conversion (JSON, names in two parts, …). */
export type Field<T> =
  | Column
  | { column: Column; read: (raw: unknown) => T | Unreadable; write?: FieldWrite }
  | { columns: readonly Column[]; read: (...raw: unknown[]) => T | Unreadable; write?: FieldWrite };

/** The stored value (one per column) of a record's field, for fixtures written through the mapping. */
// biome-ignore lint/suspicious/noExplicitAny: it receives the contract record the field belongs to.
export type FieldWrite = (record: any) => unknown;

/** A date column in its format; `empty` lists the stored values that mean "none" besides NULL. */
export interface DateField {
  column: Column;
  format: DateFormat;
  /** What the contract gets for NULL (and for `empty` values): documentation, and null. */
  none?: string;
  empty?: readonly (string | number)[];
  /** The value written for "none" (default NULL). */
  writeNone?: string | number | null;
}

/** A record's local id: one column, or several joined by `separator` (e.g. year and number). */
export type IdSpec = Column | { columns: readonly [Column, ...Column[]]; separator: string };

/**
 * A reference from one record to another of the same register. `column` is what the row stores;
 * when the referenced table keys it by another column than the contract's id (a surrogate key),
 * `refers` is that key and `id` the referenced record's id column. Without `refers` the stored
 * value is the id itself and no join is needed (the referenced record lives on the same row).
 */
export interface Reference {
  column: Column;
  refers?: Column;
  id?: Column;
  /** The surrogate key a new referenced record is given where the register does not generate it. */
  newKey?: (id: string) => unknown;
}

/** A field the register does not have: the contract gets `value`, and `why` documents it. */
export interface Missing<T> {
  missing: T;
  why: string;
}

/** How the register gives a new record its id. */
export type IdAllocation =
  /** `<prefix><n>` zero-padded to `width`, n one above the highest (under the writes' lock). */
  | { kind: 'max-plus-one'; prefix: string; width: number }
  /** The next value of the id column's sequence (PostgreSQL serial or identity). */
  | { kind: 'sequence' }
  /** (year, number): the year of the record's first date, the number one above that year's highest. */
  | { kind: 'year-number' };

export interface CredentialMapping {
  table: Table;
  id: IdSpec;
  holder: Reference;
  qualification: Reference;
  state: { column: Column; codes: Record<RecordedStatus, string | number> };
  validFrom: DateField;
  validUntil: DateField;
  verificationHash: Column | Missing<null>;
  allocate: IdAllocation;
  /** Other columns a new row needs, from the resolved holder and the writing officer. */
  extra?: (context: { holder: HolderRecord; clerk: string; input: NewCredential }) => Record<string, unknown>;
}

export interface HolderMapping {
  table: Table;
  id: Column;
  displayName: Field<string>;
  /**
   * The regional holder id as the register stores it: HMAC-SHA256 of the national identifier under
   * the region's pepper (schema/holder-id.ts), computed by the municipality when it registers a person.
   */
  regionalHolderId: Column;
  /** True when holders live on the credential rows (one row per credential): read grouped by id. */
  onCredentialRows?: boolean;
}

export interface QualificationMapping {
  table: Table;
  id: Column;
  code: Field<string>;
  title: Field<string>;
  eqfLevel: Field<number | null> | Missing<null>;
  iscoCode: Field<string | null> | Missing<null>;
}

export interface PlacementMapping {
  table: Table;
  id: IdSpec;
  /** The column holding the global id of the credential used (issued anywhere in the region). */
  credential: Column;
  employer: Column | Missing<null>;
  iscoCode: Column;
  startDate: DateField;
  endDate: DateField;
  allocate: IdAllocation;
}

/** Where one register holds several municipalities: each table's column naming a record's municipality. */
export interface SharedColumns {
  credential: Column;
  holder: Column;
  qualification: Column;
  placement: Column;
}

/**
 * How a credential or placement write reaches the register. `two-step`: the write log is in a side
 * database (register-writes-across-databases.ts); `transactional`: the register's database holds the
 * region's own records too, and each change commits with its log entry in one transaction.
 */
export type WriteMode = 'two-step' | 'transactional';

export interface RegisterMapping {
  /** The adapter's name, as ADAPTER names it. */
  name: string;
  dialect: Dialect;
  credential: CredentialMapping;
  holder: HolderMapping;
  qualification: QualificationMapping;
  placement: PlacementMapping;
  /** Absent for a register of one municipality (the usual case). */
  shared?: SharedColumns;
  /** Default `two-step`. */
  writes?: WriteMode;
  /**
   * A credential that expires before it was issued, or a placement that ends before it starts: an
   * invalid record (`invalid`, the default) or a record as it stands (`kept`: simply expired or over).
   */
  endBeforeStart?: 'invalid' | 'kept';
}

/** Checks a mapping's shape at compile time and returns it unchanged. */
export function defineMapping<M extends RegisterMapping>(mapping: M): M {
  return mapping;
}

export const isMissing = <T>(f: unknown): f is Missing<T> =>
  typeof f === 'object' && f !== null && 'missing' in f && 'why' in f;

/** A part of a proposed mapping still to be filled in; the register refuses to open while one is left. */
export interface Todo {
  todo: string;
}

/** Marks what the scaffold could not map; typed as whatever the mapping needs there. */
export function todo<T = never>(what: string): T {
  return { todo: what } as unknown as T;
}

export const isTodo = (value: unknown): value is Todo =>
  typeof value === 'object' && value !== null && 'todo' in value && Object.keys(value).length === 1;
