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
