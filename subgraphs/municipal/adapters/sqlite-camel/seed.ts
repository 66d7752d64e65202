// Writes one municipality's share of a generated region into the camelCase SQLite register.
import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { RegionData } from '../../../../common/region-records';
import { recordsOf, verificationHash } from '../../../../common/region-records';
import { epochFromIso } from '../register-keys-and-dates';
import { credentials, holders, placements, programmes } from './schema';

export const CREATE_TABLES = `
CREATE TABLE IF NOT EXISTS programmes (
  programmeId TEXT PRIMARY KEY, programmeCode TEXT NOT NULL, programmeTitle TEXT NOT NULL,
  competencies TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS holders (
  holderId TEXT PRIMARY KEY, fullName TEXT NOT NULL, regionalHolderId TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS holdersRegionalHolderId ON holders (regionalHolderId);
CREATE TABLE IF NOT EXISTS credentials (
  credentialId TEXT PRIMARY KEY, holderId TEXT NOT NULL, programmeId TEXT NOT NULL,
  status TEXT NOT NULL, validFrom INTEGER NOT NULL, validUntil INTEGER, verificationHash TEXT);
CREATE INDEX IF NOT EXISTS credentialsValidFrom ON credentials (validFrom, credentialId);
CREATE INDEX IF NOT EXISTS credentialsHolder ON credentials (holderId, validFrom, credentialId);
CREATE TABLE IF NOT EXISTS placements (
  placementId TEXT PRIMARY KEY, credentialRef TEXT NOT NULL, iscoCode TEXT NOT NULL,
  employerName TEXT NOT NULL, startedAt INTEGER NOT NULL, endedAt INTEGER);
CREATE INDEX IF NOT EXISTS placementsStartedAt ON placements (startedAt, placementId);
`;

const epochOrNull = (iso: string | null) => (iso === null ? null : epochFromIso(iso));

export function seedSqliteCamel(client: Database.Database, region: RegionData, code: string): boolean {
  client.exec(CREATE_TABLES);
  const db = drizzle(client);
  if (db.select().from(programmes).limit(1).all().length > 0) return false;
  const r = recordsOf(region, [code]);
  db.transaction((tx) => {
    for (const q of r.qualifications) {
      const competencies = { isco08: q.iscoCode, eqf: q.eqfLevel, units: [`${q.code}-U1`, `${q.code}-U2`] };
      tx.insert(programmes)
        .values({
          programmeId: q.localId,
          programmeCode: q.code,
          programmeTitle: q.title,
          competencies: JSON.stringify(competencies),
        })
        .run();
    }
    for (const h of r.holders)
      tx.insert(holders)
        .values({ holderId: h.localId, fullName: h.displayName, regionalHolderId: h.regionalHolderId })
        .run();
    for (const c of r.credentials)
      tx.insert(credentials)
        .values({
          credentialId: c.localId,
          holderId: c.holderLocalId,
          programmeId: c.qualificationLocalId,
          status: c.status.toLowerCase(),
          validFrom: epochFromIso(c.validFrom),
          validUntil: epochOrNull(c.validUntil),
          verificationHash: verificationHash(c.verificationCode),
        })
        .run();
    for (const p of r.placements)
      tx.insert(placements)
        .values({
          placementId: p.localId,
          credentialRef: p.credentialId,
          iscoCode: p.iscoCode,
          employerName: p.employer,
          startedAt: epochFromIso(p.startDate),
          endedAt: epochOrNull(p.endDate),
        })
        .run();
  });
  return true;
}
