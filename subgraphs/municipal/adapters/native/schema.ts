// Crossgate's reference credential schema (PostgreSQL dialect): the shape the demo's native
// municipalities and the tests use. Legacy databases keep their own tables behind their own adapter.
import {
  bigserial,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

export const qualification = pgTable(
  'qualification',
  {
    municipality: text('municipality').notNull(),
    localId: text('local_id').notNull(),
    code: text('code').notNull(),
    title: text('title').notNull(),
    eqfLevel: integer('eqf_level'),
    iscoCode: text('isco_code'),
  },
  (t) => [primaryKey({ columns: [t.municipality, t.localId] })],
);

export const holder = pgTable(
  'holder',
  {
    municipality: text('municipality').notNull(),
    localId: text('local_id').notNull(),
    displayName: text('display_name').notNull(),
    regionalHolderId: text('regional_holder_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.municipality, t.localId] }), index('holder_rhid').on(t.regionalHolderId)],
);

export const credential = pgTable(
  'credential',
  {
    municipality: text('municipality').notNull(),
    localId: text('local_id').notNull(),
    holderLocalId: text('holder_local_id').notNull(),
    qualificationLocalId: text('qualification_local_id').notNull(),
    status: text('status').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
    verificationHash: text('verification_hash'),
  },
  (t) => [
    primaryKey({ columns: [t.municipality, t.localId] }),
    index('credential_order').on(t.validFrom, t.municipality, t.localId),
    index('credential_holder').on(t.municipality, t.holderLocalId),
  ],
);

export const placement = pgTable(
  'placement',
  {
    municipality: text('municipality').notNull(),
    localId: text('local_id').notNull(),
    credentialId: text('credential_id').notNull(),
    iscoCode: text('isco_code').notNull(),
    employer: text('employer').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
  },
  (t) => [
    primaryKey({ columns: [t.municipality, t.localId] }),
    index('placement_order').on(t.startDate, t.municipality, t.localId),
  ],
);

/** A formal recognition decision taken by this municipality's officers; personal data stays here. */
export const recognitionDecision = pgTable(
  'recognition_decision',
  {
    municipality: text('municipality').notNull(),
    localId: text('local_id').notNull(),
    credentialId: text('credential_id').notNull(),
    decidedFor: date('decided_for', { mode: 'string' }).notNull(),
    decidedBy: text('decided_by').notNull(),
    recordedAt: timestamp('recorded_at', { mode: 'string', withTimezone: true }).notNull(),
    outcome: text('outcome').notNull(),
    reason: text('reason'),
    agreementId: text('agreement_id'),
    clause: text('clause'),
    inputs: text('inputs').notNull(),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.municipality, t.localId] })],
);

export const appeal = pgTable(
  'appeal',
  {
    municipality: text('municipality').notNull(),
    localId: text('local_id').notNull(),
    decisionLocalId: text('decision_local_id').notNull(),
    grounds: text('grounds').notNull(),
    status: text('status').notNull(),
    filedAt: timestamp('filed_at', { mode: 'string', withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { mode: 'string', withTimezone: true }),
    resolution: text('resolution'),
  },
  (t) => [primaryKey({ columns: [t.municipality, t.localId] })],
);

/** Every write, keyed by its idempotency key: the replay of retries and the history (who, when, why). */
export const writeLog = pgTable(
  'write_log',
  {
    municipality: text('municipality').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    operation: text('operation').notNull(),
    target: text('target').notNull(),
    payloadHash: text('payload_hash').notNull(),
    result: jsonb('result').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason'),
    recordedAt: timestamp('recorded_at', { mode: 'string', withTimezone: true }).notNull(),
    /** Order of writes, even within one instant. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.municipality, t.idempotencyKey] })],
);

/**
 * DDL for a fresh database. Key columns use the "C" collation so that SQL orders ids by code
 * unit, exactly as the gateway's merge compares them.
 */
export const CREATE_TABLES = `
CREATE TABLE IF NOT EXISTS qualification (
  municipality text COLLATE "C" NOT NULL, local_id text COLLATE "C" NOT NULL,
  code text NOT NULL, title text NOT NULL, eqf_level integer, isco_code text,
  PRIMARY KEY (municipality, local_id));
CREATE TABLE IF NOT EXISTS holder (
  municipality text COLLATE "C" NOT NULL, local_id text COLLATE "C" NOT NULL,
  display_name text NOT NULL, regional_holder_id text NOT NULL,
  PRIMARY KEY (municipality, local_id));
CREATE INDEX IF NOT EXISTS holder_rhid ON holder (regional_holder_id);
CREATE TABLE IF NOT EXISTS credential (
  municipality text COLLATE "C" NOT NULL, local_id text COLLATE "C" NOT NULL,
  holder_local_id text COLLATE "C" NOT NULL, qualification_local_id text COLLATE "C" NOT NULL,
  status text NOT NULL, valid_from date NOT NULL, valid_until date, verification_hash text,
  PRIMARY KEY (municipality, local_id));
CREATE INDEX IF NOT EXISTS credential_order ON credential (valid_from, municipality, local_id);
CREATE INDEX IF NOT EXISTS credential_holder ON credential (municipality, holder_local_id);
CREATE TABLE IF NOT EXISTS placement (
  municipality text COLLATE "C" NOT NULL, local_id text COLLATE "C" NOT NULL,
  credential_id text COLLATE "C" NOT NULL, isco_code text NOT NULL, employer text NOT NULL,
  start_date date NOT NULL, end_date date,
  PRIMARY KEY (municipality, local_id));
CREATE INDEX IF NOT EXISTS placement_order ON placement (start_date, municipality, local_id);
CREATE INDEX IF NOT EXISTS placement_flow ON placement (municipality, start_date, isco_code, credential_id);
CREATE TABLE IF NOT EXISTS recognition_decision (
  municipality text COLLATE "C" NOT NULL, local_id text COLLATE "C" NOT NULL,
  credential_id text COLLATE "C" NOT NULL, decided_for date NOT NULL, decided_by text NOT NULL,
  recorded_at timestamptz NOT NULL, outcome text NOT NULL, reason text, agreement_id text,
  clause text, inputs text NOT NULL, note text,
  PRIMARY KEY (municipality, local_id));
CREATE TABLE IF NOT EXISTS appeal (
  municipality text COLLATE "C" NOT NULL, local_id text COLLATE "C" NOT NULL,
  decision_local_id text COLLATE "C" NOT NULL, grounds text NOT NULL, status text NOT NULL,
  filed_at timestamptz NOT NULL, resolved_at timestamptz, resolution text,
  PRIMARY KEY (municipality, local_id));
CREATE INDEX IF NOT EXISTS appeal_decision ON appeal (municipality, decision_local_id);
CREATE TABLE IF NOT EXISTS write_log (
  municipality text COLLATE "C" NOT NULL, idempotency_key text NOT NULL, operation text NOT NULL,
  target text COLLATE "C" NOT NULL, payload_hash text NOT NULL, result jsonb NOT NULL,
  actor text NOT NULL, reason text, recorded_at timestamptz NOT NULL, seq bigserial NOT NULL,
  PRIMARY KEY (municipality, idempotency_key));
CREATE INDEX IF NOT EXISTS write_log_target ON write_log (target, seq);
`;

/** CREATE_TABLES one statement each, as an adapter's seed runs them. */
export const NATIVE_TABLES = CREATE_TABLES.split(';')
  .map((s) => s.trim())
  .filter((s) => s !== '');
