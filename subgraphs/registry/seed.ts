// Writes the registry's share of a generated region: members, occupations, standards, mappings.
import type { RegionData } from '../../scripts/seed/region';
import type { PgHandle } from '../common/postgres';
import { CREATE_TABLES, municipality, occupation, qualificationMapping, regionalStandard } from './db/schema';

export interface MemberEndpoints {
  code: string;
  credentialsUrl: string;
  workforceUrl: string;
}

export async function createRegistryTables(handle: PgHandle) {
  await handle.exec(CREATE_TABLES);
}

export async function seedRegistry(
  handle: PgHandle,
  region: RegionData,
  endpoints: readonly MemberEndpoints[],
) {
  const { db } = handle;
  const urls = new Map(endpoints.map((e) => [e.code, e]));
  await db.insert(municipality).values(
    region.municipalities.map((m) => ({
      ...m,
      status: 'ACTIVE',
      credentialsUrl: urls.get(m.code)?.credentialsUrl ?? '',
      workforceUrl: urls.get(m.code)?.workforceUrl ?? '',
    })),
  );
  await db.insert(occupation).values(region.occupations);
  await db.insert(regionalStandard).values(region.standards);
  const mapped = region.qualifications.filter((q) => q.standardCode !== null);
  if (mapped.length) {
    await db.insert(qualificationMapping).values(
      mapped.map((q) => ({
        qualificationId: `${q.municipality}:${q.localId}`,
        standardCode: q.standardCode as string,
        since: '2020-01-01',
      })),
    );
  }
}

/** Points a member at its subgraph endpoints (the demo's ports change between starts). */
export async function setMemberEndpoints(handle: PgHandle, endpoints: readonly MemberEndpoints[]) {
  const { eq } = await import('drizzle-orm');
  for (const e of endpoints) {
    await handle.db
      .update(municipality)
      .set({ credentialsUrl: e.credentialsUrl, workforceUrl: e.workforceUrl })
      .where(eq(municipality.code, e.code));
  }
}
