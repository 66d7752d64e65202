// Reads of the registry's tables, batched by key.
import { asc, eq, inArray, like } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { municipality, occupation, qualificationMapping, regionalStandard } from './db/schema';

// biome-ignore lint/suspicious/noExplicitAny: drizzle's database type is generic over its driver.
export type RegistryDatabase = PgDatabase<PgQueryResultHKT, any>;

export type MunicipalityRow = typeof municipality.$inferSelect;
export type OccupationRow = typeof occupation.$inferSelect;
export type StandardRow = typeof regionalStandard.$inferSelect;
export type MappingRow = typeof qualificationMapping.$inferSelect;

function byKey<T, K>(keys: readonly K[], rows: T[], keyOf: (r: T) => K): (T | null)[] {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? null);
}

export function createRegistryStore(db: RegistryDatabase) {
  return {
    db,
    municipalities: () => db.select().from(municipality).orderBy(asc(municipality.code)),
    municipalitiesByCodes: async (codes: readonly string[]) =>
      byKey(
        codes,
        await db
          .select()
          .from(municipality)
          .where(inArray(municipality.code, [...codes])),
        (r) => r.code,
      ),
    occupations: () => db.select().from(occupation).orderBy(asc(occupation.iscoCode)),
    occupationsByCodes: async (codes: readonly string[]) =>
      byKey(
        codes,
        await db
          .select()
          .from(occupation)
          .where(inArray(occupation.iscoCode, [...codes])),
        (r) => r.iscoCode,
      ),
    standards: () => db.select().from(regionalStandard).orderBy(asc(regionalStandard.code)),
    standardsByCodes: async (codes: readonly string[]) =>
      byKey(
        codes,
        await db
          .select()
          .from(regionalStandard)
          .where(inArray(regionalStandard.code, [...codes])),
        (r) => r.code,
      ),
    mappingsByQualificationIds: async (ids: readonly string[]) =>
      byKey(
        ids,
        await db
          .select()
          .from(qualificationMapping)
          .where(inArray(qualificationMapping.qualificationId, [...ids])),
        (r) => r.qualificationId,
      ),
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
