// The registry's own tables: directory, standards, mappings, agreements and its write log. No personal data.
import {
  bigint,
  bigserial,
  boolean,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

export const municipality = pgTable('municipality', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  country: text('country').notNull(),
  status: text('status').notNull().default('ACTIVE'),
  credentialsUrl: text('credentials_url').notNull(),
  workforceUrl: text('workforce_url').notNull(),
  timeoutMs: integer('timeout_ms'),
  hedgeReads: boolean('hedge_reads').notNull().default(false),
  maxInFlight: integer('max_in_flight'),
  maxQueued: integer('max_queued'),
});

export const occupation = pgTable('occupation', {
  iscoCode: text('isco_code').primaryKey(),
  title: text('title').notNull(),
});

export const regionalStandard = pgTable('regional_standard', {
  code: text('code').primaryKey(),
  title: text('title').notNull(),
  eqfLevel: integer('eqf_level').notNull(),
  iscoCode: text('isco_code').notNull(),
  competencies: jsonb('competencies').$type<string[]>().notNull().default([]),
  titles: jsonb('titles').$type<{ language: string; text: string }[]>().notNull().default([]),
});

export const qualificationMapping = pgTable(
  'qualification_mapping',
  {
    qualificationId: text('qualification_id').notNull(),
    standardCode: text('standard_code').notNull(),
    since: date('since', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.qualificationId] })],
);

export const agreement = pgTable('agreement', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  status: text('status').notNull(),
  standards: jsonb('standards').$type<string[]>().notNull(),
  iscoGroups: jsonb('isco_groups').$type<string[]>().notNull(),
  minEqfLevel: integer('min_eqf_level').notNull(),
  partialFromEqfLevel: integer('partial_from_eqf_level'),
  validFrom: date('valid_from', { mode: 'string' }).notNull(),
  validUntil: date('valid_until', { mode: 'string' }),
  suspendedOn: date('suspended_on', { mode: 'string' }),
  resumedOn: date('resumed_on', { mode: 'string' }),
  terminatedOn: date('terminated_on', { mode: 'string' }),
  measures: jsonb('measures').$type<DirectedMeasuresRow[]>().notNull(),
});

export interface DirectedMeasuresRow {
  from: string;
  to: string;
  measures: { kind: string; months?: number | null; hours?: number | null; level?: string | null }[];
}

export const agreementParty = pgTable(
  'agreement_party',
  {
    agreementId: text('agreement_id').notNull(),
    municipality: text('municipality').notNull(),
    ratifiedOn: date('ratified_on', { mode: 'string' }),
  },
  (t) => [primaryKey({ columns: [t.agreementId, t.municipality] })],
);

/**
 * One row whose version grows with every change to the reference tables, whoever writes them
 * (the registry's mutations, its seed, an operator's SQL): readers compare it with their copy.
 */
export const registryVersion = pgTable('registry_version', {
  id: integer('id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull(),
});

/** The tables a reader may hold in memory while the version stands still. */
export const REFERENCE_TABLES = [
  'municipality',
  'occupation',
  'regional_standard',
  'qualification_mapping',
  'agreement',
  'agreement_party',
] as const;

/** Every write, keyed by its idempotency key: the replay of retries and the history (who, when, why). */
export const registryWrite = pgTable('registry_write', {
  idempotencyKey: text('idempotency_key').primaryKey(),
  operation: text('operation').notNull(),
  target: text('target').notNull(),
  payloadHash: text('payload_hash').notNull(),
  /** The row the first call answered with; a retry answers with it again. */
  result: jsonb('result').notNull(),
  actor: text('actor').notNull(),
  reason: text('reason'),
  recordedAt: timestamp('recorded_at', { mode: 'string', withTimezone: true }).notNull(),
  /** Order of writes, even within one instant. */
  seq: bigserial('seq', { mode: 'number' }).notNull(),
});

export const CREATE_TABLES = `
CREATE TABLE IF NOT EXISTS municipality (
  code text COLLATE "C" PRIMARY KEY, name text NOT NULL, country text NOT NULL,
  status text NOT NULL DEFAULT 'ACTIVE', credentials_url text NOT NULL, workforce_url text NOT NULL);
CREATE TABLE IF NOT EXISTS occupation (isco_code text PRIMARY KEY, title text NOT NULL);
CREATE TABLE IF NOT EXISTS regional_standard (
  code text PRIMARY KEY, title text NOT NULL, eqf_level integer NOT NULL, isco_code text NOT NULL);
CREATE TABLE IF NOT EXISTS qualification_mapping (
  qualification_id text COLLATE "C" PRIMARY KEY, standard_code text NOT NULL, since date NOT NULL);
ALTER TABLE regional_standard ADD COLUMN IF NOT EXISTS competencies jsonb NOT NULL DEFAULT '[]';
ALTER TABLE regional_standard ADD COLUMN IF NOT EXISTS titles jsonb NOT NULL DEFAULT '[]';
ALTER TABLE municipality ADD COLUMN IF NOT EXISTS timeout_ms integer;
ALTER TABLE municipality ADD COLUMN IF NOT EXISTS hedge_reads boolean NOT NULL DEFAULT false;
ALTER TABLE municipality ADD COLUMN IF NOT EXISTS max_in_flight integer;
ALTER TABLE municipality ADD COLUMN IF NOT EXISTS max_queued integer;
CREATE TABLE IF NOT EXISTS agreement (
  id text COLLATE "C" PRIMARY KEY, title text NOT NULL, status text NOT NULL,
  standards jsonb NOT NULL, isco_groups jsonb NOT NULL, min_eqf_level integer NOT NULL,
  partial_from_eqf_level integer, valid_from date NOT NULL, valid_until date,
  suspended_on date, terminated_on date, measures jsonb NOT NULL);
ALTER TABLE agreement ADD COLUMN IF NOT EXISTS resumed_on date;
CREATE TABLE IF NOT EXISTS agreement_party (
  agreement_id text COLLATE "C" NOT NULL, municipality text COLLATE "C" NOT NULL, ratified_on date,
  PRIMARY KEY (agreement_id, municipality));
CREATE INDEX IF NOT EXISTS agreement_party_municipality ON agreement_party (municipality);
CREATE TABLE IF NOT EXISTS registry_write (
  idempotency_key text PRIMARY KEY, operation text NOT NULL, target text NOT NULL,
  payload_hash text NOT NULL, result jsonb NOT NULL, actor text NOT NULL, reason text, recorded_at timestamptz NOT NULL, seq bigserial NOT NULL);
CREATE INDEX IF NOT EXISTS registry_write_target ON registry_write (target, seq);
CREATE TABLE IF NOT EXISTS member_key (
  kid text COLLATE "C" NOT NULL, member text COLLATE "C" NOT NULL, role text NOT NULL, jwk jsonb NOT NULL,
  not_before timestamptz NOT NULL, not_after timestamptz, withdrawn_at timestamptz,
  PRIMARY KEY (kid, member));
CREATE TABLE IF NOT EXISTS audit_witness (
  chain text COLLATE "C" NOT NULL, entries integer NOT NULL, head_hash text NOT NULL, claimed_at text NOT NULL,
  witnessed_at timestamptz NOT NULL, witness text NOT NULL, PRIMARY KEY (chain, entries));
CREATE TABLE IF NOT EXISTS registry_version (
  id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
INSERT INTO registry_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING;
CREATE OR REPLACE FUNCTION registry_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE registry_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$;
${REFERENCE_TABLES.map(
  (t) => `DROP TRIGGER IF EXISTS ${t}_version ON ${t};
CREATE TRIGGER ${t}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${t}
  FOR EACH STATEMENT EXECUTE FUNCTION registry_version_bump();`,
).join('\n')}
`;

/** A member's public key as the directory publishes it; a withdrawn key is left out at once. */
export const memberKey = pgTable(
  'member_key',
  {
    kid: text('kid').notNull(),
    member: text('member').notNull(),
    role: text('role').notNull(),
    jwk: jsonb('jwk').$type<Record<string, unknown>>().notNull(),
    notBefore: timestamp('not_before', { withTimezone: true, mode: 'date' }).notNull(),
    notAfter: timestamp('not_after', { withTimezone: true, mode: 'date' }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [primaryKey({ columns: [t.kid, t.member] })],
);

/** Audit checkpoints the registry witnessed: per chain (its members joined with "+"), the count, head and countersignature. */
export const auditWitness = pgTable(
  'audit_witness',
  {
    chain: text('chain').notNull(),
    entries: integer('entries').notNull(),
    headHash: text('head_hash').notNull(),
    claimedAt: text('claimed_at').notNull(),
    witnessedAt: timestamp('witnessed_at', { withTimezone: true, mode: 'date' }).notNull(),
    witness: text('witness').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chain, t.entries] })],
);
