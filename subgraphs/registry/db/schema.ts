// The registry's own tables: the member directory and the regional standards. No personal data.
import { date, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

export const municipality = pgTable('municipality', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  country: text('country').notNull(),
  status: text('status').notNull().default('ACTIVE'),
  credentialsUrl: text('credentials_url').notNull(),
  workforceUrl: text('workforce_url').notNull(),
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

export const CREATE_TABLES = `
CREATE TABLE IF NOT EXISTS municipality (
  code text COLLATE "C" PRIMARY KEY, name text NOT NULL, country text NOT NULL,
  status text NOT NULL DEFAULT 'ACTIVE', credentials_url text NOT NULL, workforce_url text NOT NULL);
CREATE TABLE IF NOT EXISTS occupation (isco_code text PRIMARY KEY, title text NOT NULL);
CREATE TABLE IF NOT EXISTS regional_standard (
  code text PRIMARY KEY, title text NOT NULL, eqf_level integer NOT NULL, isco_code text NOT NULL);
CREATE TABLE IF NOT EXISTS qualification_mapping (
  qualification_id text COLLATE "C" PRIMARY KEY, standard_code text NOT NULL, since date NOT NULL);
`;
