// The registry's reference data held in memory and checked against the registry version once per request.
import { asc, eq } from 'drizzle-orm';
import {
  agreement,
  agreementParty,
  municipality,
  occupation,
  qualificationMapping,
  regionalStandard,
  registryVersion,
} from './db/schema';
import { type AgreementRow, factsOf, type PartyRow } from './modules/agreements/records';
import type { AgreementFacts } from './modules/recognition/decide';
import type { MappingRow, MunicipalityRow, OccupationRow, RegistryDatabase, StandardRow } from './store';

/** Every reference table at one version, indexed the way the loaders ask. */
export interface ReferenceData {
  version: number;
  municipalities: ReadonlyMap<string, MunicipalityRow>;
  occupations: ReadonlyMap<string, OccupationRow>;
  standards: ReadonlyMap<string, StandardRow>;
  mappings: ReadonlyMap<string, MappingRow>;
  agreements: ReadonlyMap<string, AgreementRow>;
  /** Parties of each agreement, by municipality code. */
  parties: ReadonlyMap<string, readonly PartyRow[]>;
}

/** Every agreement binding both municipalities (or `a` alone when a = b), by id, as decision facts. */
export function agreementsBinding(data: ReferenceData, a: string, b: string): AgreementFacts[] {
  const facts: AgreementFacts[] = [];
  for (const row of data.agreements.values()) {
    const parties = data.parties.get(row.id) ?? [];
    const hasA = parties.some((p) => p.municipality === a);
    const hasB = parties.some((p) => p.municipality === b);
    if (hasA && hasB) facts.push(factsOf(row, parties));
  }
  return facts;
}

const byCode = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

async function loadReference(db: RegistryDatabase, version: number): Promise<ReferenceData> {
  const [members, occupations, standards, mappings, agreements, parties] = await Promise.all([
    db.select().from(municipality),
    db.select().from(occupation),
    db.select().from(regionalStandard),
    db.select().from(qualificationMapping),
    db.select().from(agreement).orderBy(asc(agreement.id)),
    db.select().from(agreementParty),
  ]);
  const partiesOf = new Map<string, PartyRow[]>();
  for (const p of parties) partiesOf.set(p.agreementId, [...(partiesOf.get(p.agreementId) ?? []), p]);
  for (const list of partiesOf.values()) list.sort((x, y) => byCode(x.municipality, y.municipality));
  return {
    version,
    municipalities: new Map(members.map((r) => [r.code, r])),
    occupations: new Map(occupations.map((r) => [r.iscoCode, r])),
    standards: new Map(standards.map((r) => [r.code, r])),
    mappings: new Map(mappings.map((r) => [r.qualificationId, r])),
    agreements: new Map(agreements.map((r) => [r.id, r])),
    parties: partiesOf,
  };
}

export interface ReferenceCache {
  /** One statement reads the version; the tables are read again only when it moved. */
  current(): Promise<ReferenceData>;
}

/**
 * The reference tables as of the latest version. A write between reading the version and the
 * tables only makes the copy newer than its label, and the next request reads it again.
 */
export function createReferenceCache(db: RegistryDatabase): ReferenceCache {
  let held: Promise<ReferenceData> | null = null;
  return {
    async current() {
      const [row] = await db
        .select({ version: registryVersion.version })
        .from(registryVersion)
        .where(eq(registryVersion.id, 1));
      const version = row?.version ?? 0;
      const copy = held ? await held.catch(() => null) : null;
      if (copy && copy.version === version) return copy;
      const loading = loadReference(db, version);
      held = loading;
      return loading;
    },
  };
}

/**
 * What one request reads: the reference data checked once and kept for the request, or checked at
 * every read once `fresh()` is called (a mutation must see its own write).
 */
export function referenceReader(cache: ReferenceCache) {
  let memo: Promise<ReferenceData> | null = null;
  let everyRead = false;
  return {
    read(): Promise<ReferenceData> {
      if (everyRead) return cache.current();
      memo ??= cache.current();
      return memo;
    },
    fresh() {
      everyRead = true;
      memo = null;
    },
  };
}

export type ReferenceReader = ReturnType<typeof referenceReader>;
