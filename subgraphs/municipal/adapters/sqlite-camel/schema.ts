// A SQLite register (Southbank's): camelCase columns, dates as epoch seconds, word status codes,
// and each programme's ISCO code, EQF level and units in a JSON column of competencies.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const programmes = sqliteTable('programmes', {
  programmeId: text('programmeId').primaryKey(),
  programmeCode: text('programmeCode').notNull(),
  programmeTitle: text('programmeTitle').notNull(),
  /** JSON: {"isco08": "7411", "eqf": 4, "units": ["…"]} */
  competencies: text('competencies').notNull(),
});

export const holders = sqliteTable(
  'holders',
  {
    holderId: text('holderId').primaryKey(),
    fullName: text('fullName').notNull(),
    regionalHolderId: text('regionalHolderId').notNull(),
  },
  (t) => [index('holdersRegionalHolderId').on(t.regionalHolderId)],
);

export const credentials = sqliteTable(
  'credentials',
  {
    credentialId: text('credentialId').primaryKey(),
    holderId: text('holderId').notNull(),
    programmeId: text('programmeId').notNull(),
    /** 'active' | 'suspended' | 'revoked' */
    status: text('status').notNull(),
    /** Seconds since the epoch at UTC midnight. */
    validFrom: integer('validFrom').notNull(),
    validUntil: integer('validUntil'),
    verificationHash: text('verificationHash'),
  },
  (t) => [
    index('credentialsValidFrom').on(t.validFrom, t.credentialId),
    index('credentialsHolder').on(t.holderId, t.validFrom, t.credentialId),
  ],
);

export const placements = sqliteTable(
  'placements',
  {
    placementId: text('placementId').primaryKey(),
    credentialRef: text('credentialRef').notNull(),
    iscoCode: text('iscoCode').notNull(),
    employerName: text('employerName').notNull(),
    startedAt: integer('startedAt').notNull(),
    endedAt: integer('endedAt'),
  },
  (t) => [index('placementsStartedAt').on(t.startedAt, t.placementId)],
);

/** The DDL of the register. */
export const TABLES = [
  `CREATE TABLE IF NOT EXISTS programmes (
  programmeId TEXT PRIMARY KEY, programmeCode TEXT NOT NULL, programmeTitle TEXT NOT NULL,
  competencies TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS holders (
  holderId TEXT PRIMARY KEY, fullName TEXT NOT NULL, regionalHolderId TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS holdersRegionalHolderId ON holders (regionalHolderId)`,
  `CREATE TABLE IF NOT EXISTS credentials (
  credentialId TEXT PRIMARY KEY, holderId TEXT NOT NULL, programmeId TEXT NOT NULL,
  status TEXT NOT NULL, validFrom INTEGER NOT NULL, validUntil INTEGER, verificationHash TEXT)`,
  `CREATE INDEX IF NOT EXISTS credentialsValidFrom ON credentials (validFrom, credentialId)`,
  `CREATE INDEX IF NOT EXISTS credentialsHolder ON credentials (holderId, validFrom, credentialId)`,
  `CREATE TABLE IF NOT EXISTS placements (
  placementId TEXT PRIMARY KEY, credentialRef TEXT NOT NULL, iscoCode TEXT NOT NULL,
  employerName TEXT NOT NULL, startedAt INTEGER NOT NULL, endedAt INTEGER)`,
  `CREATE INDEX IF NOT EXISTS placementsStartedAt ON placements (startedAt, placementId)`,
];
