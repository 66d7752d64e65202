// A normalised snake_case PostgreSQL register (Northbank's): people, programmes, certificates,
// employments, and a code list of certificate states. No foreign keys, as the legacy system has none.
import { char, date, index, integer, pgTable, smallint, text } from 'drizzle-orm/pg-core';

export const certificateState = pgTable('certificate_state', {
  stateCode: smallint('state_code').primaryKey(),
  label: text('label').notNull(),
});

export const trainingProgramme = pgTable('training_programme', {
  programmeRef: text('programme_ref').primaryKey(),
  programmeCode: text('programme_code').notNull(),
  title: text('title').notNull(),
  eqfLevel: integer('eqf_level'),
  isco08: char('isco08', { length: 4 }),
});

export const person = pgTable(
  'person',
  {
    personRef: text('person_ref').primaryKey(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    regionalHolderId: text('regional_holder_id').notNull(),
  },
  (t) => [index('person_regional_holder_id_idx').on(t.regionalHolderId)],
);

export const certificate = pgTable(
  'certificate',
  {
    certificateNo: text('certificate_no').primaryKey(),
    personRef: text('person_ref').notNull(),
    programmeRef: text('programme_ref').notNull(),
    stateCode: smallint('state_code').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }),
    verificationDigest: text('verification_digest'),
  },
  (t) => [
    index('certificate_issued_idx').on(t.issuedOn, t.certificateNo),
    index('certificate_person_idx').on(t.personRef, t.issuedOn, t.certificateNo),
  ],
);

export const employment = pgTable(
  'employment',
  {
    employmentNo: text('employment_no').primaryKey(),
    certificateRef: text('certificate_ref').notNull(),
    isco08: char('isco08', { length: 4 }).notNull(),
    employerName: text('employer_name').notNull(),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    endedOn: date('ended_on', { mode: 'string' }),
  },
  (t) => [index('employment_started_idx').on(t.startedOn, t.employmentNo)],
);

/** The DDL, key columns in the "C" collation so SQL orders them by code unit as the gateway merges; the state code list. */
export const TABLES = [
  `CREATE TABLE IF NOT EXISTS certificate_state (state_code smallint PRIMARY KEY, label text NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS training_programme (
  programme_ref text COLLATE "C" PRIMARY KEY, programme_code text NOT NULL, title text NOT NULL,
  eqf_level integer, isco08 char(4))`,
  `CREATE TABLE IF NOT EXISTS person (
  person_ref text COLLATE "C" PRIMARY KEY, given_name text NOT NULL, family_name text NOT NULL,
  regional_holder_id text COLLATE "C" NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS person_regional_holder_id_idx ON person (regional_holder_id)`,
  `CREATE TABLE IF NOT EXISTS certificate (
  certificate_no text COLLATE "C" PRIMARY KEY, person_ref text COLLATE "C" NOT NULL,
  programme_ref text COLLATE "C" NOT NULL, state_code smallint NOT NULL,
  issued_on date NOT NULL, expires_on date, verification_digest text)`,
  `CREATE INDEX IF NOT EXISTS certificate_issued_idx ON certificate (issued_on, certificate_no)`,
  `CREATE INDEX IF NOT EXISTS certificate_person_idx ON certificate (person_ref, issued_on, certificate_no)`,
  `CREATE TABLE IF NOT EXISTS employment (
  employment_no text COLLATE "C" PRIMARY KEY, certificate_ref text COLLATE "C" NOT NULL,
  isco08 char(4) NOT NULL, employer_name text NOT NULL, started_on date NOT NULL, ended_on date)`,
  `CREATE INDEX IF NOT EXISTS employment_started_idx ON employment (started_on, employment_no)`,
  `INSERT INTO certificate_state VALUES (1, 'valid'), (2, 'suspended'), (3, 'withdrawn')
  ON CONFLICT DO NOTHING`,
];
