// A PostgreSQL award ledger (Riverside's) in its own `ledger` schema: integer surrogate keys with
// external references, validity and employment periods as date ranges, names as JSON, and
// award states in the ledger's own words.
import { customType, index, integer, jsonb, pgSchema, serial, text } from 'drizzle-orm/pg-core';

export const ledgerSchema = pgSchema('ledger');

/** A PostgreSQL daterange, read and written in its text form, e.g. "[2020-01-01,2023-01-01)". */
const daterange = customType<{ data: string; driverData: string }>({ dataType: () => 'daterange' });

export const awardType = ledgerSchema.table('award_type', {
  awardTypeId: serial('award_type_id').primaryKey(),
  awardTypeRef: text('award_type_ref').notNull().unique(),
  label: text('label').notNull(),
  localCode: text('local_code').notNull(),
  isco: text('isco'),
  eqf: integer('eqf'),
});

export const learner = ledgerSchema.table(
  'learner',
  {
    learnerId: serial('learner_id').primaryKey(),
    learnerRef: text('learner_ref').notNull().unique(),
    /** {"given": "…", "family": "…"} */
    name: jsonb('name').$type<{ given?: string; family?: string }>().notNull(),
    regionalId: text('regional_id').notNull(),
  },
  (t) => [index('learner_regional_id_idx').on(t.regionalId)],
);

export const award = ledgerSchema.table(
  'award',
  {
    awardId: serial('award_id').primaryKey(),
    awardRef: text('award_ref').notNull().unique(),
    learnerId: integer('learner_id').notNull(),
    awardTypeId: integer('award_type_id').notNull(),
    /** 'granted' | 'paused' | 'withdrawn' */
    state: text('state').notNull(),
    validity: daterange('validity').notNull(),
    digest: text('digest'),
  },
  (t) => [index('award_learner_idx').on(t.learnerId)],
);

export const job = ledgerSchema.table('job', {
  jobId: serial('job_id').primaryKey(),
  jobRef: text('job_ref').notNull().unique(),
  awardGlobalRef: text('award_global_ref').notNull(),
  isco: text('isco').notNull(),
  employer: text('employer').notNull(),
  period: daterange('period').notNull(),
});

/** The DDL, references in the "C" collation so SQL orders them by code unit as the gateway merges. */
export const TABLES = [
  `CREATE SCHEMA IF NOT EXISTS ledger`,
  `CREATE TABLE IF NOT EXISTS ledger.award_type (
  award_type_id serial PRIMARY KEY, award_type_ref text COLLATE "C" NOT NULL UNIQUE,
  label text NOT NULL, local_code text NOT NULL, isco text, eqf integer)`,
  `CREATE TABLE IF NOT EXISTS ledger.learner (
  learner_id serial PRIMARY KEY, learner_ref text COLLATE "C" NOT NULL UNIQUE,
  name jsonb NOT NULL, regional_id text NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS learner_regional_id_idx ON ledger.learner (regional_id)`,
  `CREATE TABLE IF NOT EXISTS ledger.award (
  award_id serial PRIMARY KEY, award_ref text COLLATE "C" NOT NULL UNIQUE,
  learner_id integer NOT NULL, award_type_id integer NOT NULL, state text NOT NULL,
  validity daterange NOT NULL, digest text)`,
  `CREATE INDEX IF NOT EXISTS award_learner_idx ON ledger.award (learner_id)`,
  `CREATE INDEX IF NOT EXISTS award_validity_idx ON ledger.award ((lower(validity)) NULLS FIRST, award_ref)`,
  `CREATE TABLE IF NOT EXISTS ledger.job (
  job_id serial PRIMARY KEY, job_ref text COLLATE "C" NOT NULL UNIQUE,
  award_global_ref text COLLATE "C" NOT NULL, isco text NOT NULL, employer text NOT NULL,
  period daterange NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS job_period_idx ON ledger.job ((lower(period)) NULLS FIRST, job_ref)`,
];
