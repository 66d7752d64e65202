// Writes the registry's share of a generated region: members, occupations, standards, mappings and
// agreements, as its entry point passes them in.

import type { PgHandle } from '../../common/postgres';
import type { RegionData } from '../../common/region-records';
import {
  agreement,
  agreementParty,
  CREATE_TABLES,
  municipality,
  occupation,
  qualificationMapping,
  regionalStandard,
} from './db/schema';
import { type AgreementSeed, rowOf } from './modules/agreements/records';

/** Titles in the region's languages and core competencies of each standard, by ISCO-08 unit group. */
export type StandardDetails = Record<string, { de: string; pl: string; cs: string; competencies: string[] }>;

/** What an entry point seeds into an empty registry. */
export interface RegistrySeed {
  region: RegionData;
  standardDetails: StandardDetails;
  agreements: readonly AgreementSeed[];
}

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
  { region, standardDetails, agreements }: RegistrySeed,
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
  await db.insert(regionalStandard).values(
    region.standards.map((s) => {
      const d = standardDetails[s.iscoCode];
      return {
        ...s,
        competencies: d?.competencies ?? [],
        titles: d
          ? [
              { language: 'de', text: d.de },
              { language: 'pl', text: d.pl },
              { language: 'cs', text: d.cs },
            ]
          : [],
      };
    }),
  );
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
  await seedAgreements(
    handle,
    region.municipalities.map((m) => m.code),
    agreements,
  );
}

/** Writes agreements with their parties, those among the region's members only. */
export async function seedAgreements(
  handle: PgHandle,
  memberCodes: readonly string[],
  agreements: readonly AgreementSeed[],
) {
  const members = new Set(memberCodes);
  const fitting = agreements.filter((a) => a.parties.every((p) => members.has(p.municipality)));
  if (fitting.length === 0) return;
  await handle.db.insert(agreement).values(fitting.map(rowOf));
  await handle.db
    .insert(agreementParty)
    .values(
      fitting.flatMap((a) =>
        a.parties.map((p) => ({ agreementId: a.id, municipality: p.municipality, ratifiedOn: p.ratifiedOn })),
      ),
    );
}

/** True when the registry holds no agreement yet (a database seeded before agreements existed). */
export async function hasNoAgreements(handle: PgHandle): Promise<boolean> {
  return (await handle.db.select({ id: agreement.id }).from(agreement).limit(1)).length === 0;
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

/** A member's call settings in the directory (timeout, hedging, queue bounds); null takes the gateway's default. */
export interface MemberCallSettings {
  code: string;
  timeoutMs?: number | null;
  hedgeReads?: boolean;
  maxInFlight?: number | null;
  maxQueued?: number | null;
}

export async function setMemberCallSettings(handle: PgHandle, settings: MemberCallSettings) {
  const { eq } = await import('drizzle-orm');
  const { code, ...values } = settings;
  await handle.db.update(municipality).set(values).where(eq(municipality.code, code));
}
