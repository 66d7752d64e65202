// A wide MariaDB/MySQL register (Lakeside's): upper-case columns, one-letter status codes,
// DD.MM.YYYY date strings, holders kept on each register row, and local occupation codes that
// a lookup table maps to qualifications.
import { char, index, mysqlTable, tinyint, varchar } from 'drizzle-orm/mysql-core';

export const occLookup = mysqlTable('OCC_LOOKUP', {
  OCC_CODE: varchar('OCC_CODE', { length: 8 }).primaryKey(),
  QUAL_NO: varchar('QUAL_NO', { length: 16 }).notNull(),
  QUAL_CODE: varchar('QUAL_CODE', { length: 32 }).notNull(),
  QUAL_TITLE: varchar('QUAL_TITLE', { length: 200 }).notNull(),
  ISCO08: char('ISCO08', { length: 4 }),
  EQF: tinyint('EQF'),
});

export const register = mysqlTable(
  'REGISTER',
  {
    CERT_NO: varchar('CERT_NO', { length: 16 }).primaryKey(),
    PERS_NO: varchar('PERS_NO', { length: 16 }).notNull(),
    PERS_NAME: varchar('PERS_NAME', { length: 120 }).notNull(),
    PERS_RHID: varchar('PERS_RHID', { length: 64 }).notNull(),
    OCC_CODE: varchar('OCC_CODE', { length: 8 }).notNull(),
    /** A = active, S = suspended, R = revoked. */
    STAT: char('STAT', { length: 1 }).notNull(),
    /** DD.MM.YYYY */
    VALID_FROM: char('VALID_FROM', { length: 10 }).notNull(),
    /** DD.MM.YYYY, empty or NULL when open-ended. */
    VALID_TO: char('VALID_TO', { length: 10 }),
    VERIF_HASH: char('VERIF_HASH', { length: 64 }),
    BRANCH: varchar('BRANCH', { length: 40 }),
    CLERK: varchar('CLERK', { length: 40 }),
    FEE_PAID: char('FEE_PAID', { length: 1 }),
    REMARKS: varchar('REMARKS', { length: 400 }),
  },
  (t) => [index('REG_PERS').on(t.PERS_NO), index('REG_RHID').on(t.PERS_RHID)],
);

export const employment = mysqlTable('EMPLOYMENT', {
  EMP_NO: varchar('EMP_NO', { length: 16 }).primaryKey(),
  CERT_REF: varchar('CERT_REF', { length: 40 }).notNull(),
  ISCO08: char('ISCO08', { length: 4 }).notNull(),
  EMPLOYER: varchar('EMPLOYER', { length: 120 }).notNull(),
  START_DT: char('START_DT', { length: 10 }).notNull(),
  END_DT: char('END_DT', { length: 10 }),
});
