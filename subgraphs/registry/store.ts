// Lists of the registry's tables and the member status write; keyed reads go through reference.ts.
import { asc, eq, like } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { municipality, occupation, qualificationMapping, regionalStandard } from './db/schema';

// biome-ignore lint/suspicious/noExplicitAny: drizzle's database type is generic over its driver.
export type RegistryDatabase = PgDatabase<PgQueryResultHKT, any>;

export type MunicipalityRow = typeof municipality.$inferSelect;
export type OccupationRow = typeof occupation.$inferSelect;
export type StandardRow = typeof regionalStandard.$inferSelect;
export type MappingRow = typeof qualificationMapping.$inferSelect;

export function createRegistryStore(db: RegistryDatabase) {
  return {
    db,
    municipalities: () => db.select().from(municipality).orderBy(asc(municipality.code)),
    occupations: () => db.select().from(occupation).orderBy(asc(occupation.iscoCode)),
    standards: () => db.select().from(regionalStandard).orderBy(asc(regionalStandard.code)),
    mappings: (municipalityCode: string | null) =>
      db
        .select()
        .from(qualificationMapping)
        .where(
          municipalityCode ? like(qualificationMapping.qualificationId, `${municipalityCode}:%`) : undefined,
        )
        .orderBy(asc(qualificationMapping.qualificationId)),
    setMemberStatus: (code: string, status: 'ACTIVE' | 'SUSPENDED') =>
      db.update(municipality).set({ status }).where(eq(municipality.code, code)),
  };
}

export type RegistryStore = ReturnType<typeof createRegistryStore>;
