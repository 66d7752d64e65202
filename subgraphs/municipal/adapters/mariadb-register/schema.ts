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

/** Ids in a binary collation, so SQL orders them by code unit as the gateway merges. */
export const TABLES = [
  `CREATE TABLE IF NOT EXISTS OCC_LOOKUP (
    OCC_CODE VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    QUAL_NO VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    QUAL_CODE VARCHAR(32) NOT NULL, QUAL_TITLE VARCHAR(200) NOT NULL, ISCO08 CHAR(4), EQF TINYINT,
    UNIQUE KEY OCC_QUAL (QUAL_NO)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `CREATE TABLE IF NOT EXISTS REGISTER (
    CERT_NO VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    PERS_NO VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PERS_NAME VARCHAR(120) NOT NULL,
    PERS_RHID VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    OCC_CODE VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    STAT CHAR(1) NOT NULL, VALID_FROM CHAR(10) NOT NULL, VALID_TO CHAR(10), VERIF_HASH CHAR(64),
    BRANCH VARCHAR(40), CLERK VARCHAR(40), FEE_PAID CHAR(1), REMARKS VARCHAR(400),
    KEY REG_PERS (PERS_NO), KEY REG_RHID (PERS_RHID)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `CREATE TABLE IF NOT EXISTS EMPLOYMENT (
    EMP_NO VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    CERT_REF VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    ISCO08 CHAR(4) NOT NULL, EMPLOYER VARCHAR(120) NOT NULL,
    START_DT CHAR(10) NOT NULL, END_DT CHAR(10)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
];
