// Reads of agreements, their parties and the registry's write history, batched by key.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { agreement, agreementParty, registryWrite } from '../../db/schema';
import type { RegistryDatabase } from '../../store';
import { type AgreementRow, factsOf, type PartyRow } from './records';

export type WriteRow = typeof registryWrite.$inferSelect;

export function createAgreementStore(db: RegistryDatabase) {
  const partiesOf = async (ids: readonly string[]): Promise<PartyRow[][]> => {
    if (ids.length === 0) return [];
    const rows = await db
      .select()
      .from(agreementParty)
      .where(inArray(agreementParty.agreementId, [...ids]))
      .orderBy(asc(agreementParty.municipality));
    return ids.map((id) => rows.filter((r) => r.agreementId === id));
  };
  return {
    /** Agreements, all or those the municipality is a party to, by id. */
    async agreements(municipality: string | null): Promise<AgreementRow[]> {
      if (!municipality) return db.select().from(agreement).orderBy(asc(agreement.id));
      const ids = db
        .select({ id: agreementParty.agreementId })
        .from(agreementParty)
        .where(eq(agreementParty.municipality, municipality));
      return db.select().from(agreement).where(inArray(agreement.id, ids)).orderBy(asc(agreement.id));
    },
    async agreementsByIds(ids: readonly string[]): Promise<(AgreementRow | null)[]> {
      const rows = await db
        .select()
        .from(agreement)
        .where(inArray(agreement.id, [...ids]));
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    },
    partiesByAgreementIds: partiesOf,
    /** Every agreement binding both municipalities, as decision facts, in two statements. */
    async factsBinding(a: string, b: string) {
      const pairs = await db
        .select({ id: agreementParty.agreementId, m: agreementParty.municipality })
        .from(agreementParty)
        .where(inArray(agreementParty.municipality, [a, b]));
      const counts = new Map<string, Set<string>>();
      for (const p of pairs) counts.set(p.id, (counts.get(p.id) ?? new Set()).add(p.m));
      const ids = [...counts].filter(([, s]) => s.size === (a === b ? 1 : 2)).map(([id]) => id);
      if (ids.length === 0) return [];
      const [rows, parties] = await Promise.all([
        db.select().from(agreement).where(inArray(agreement.id, ids)).orderBy(asc(agreement.id)),
        partiesOf(ids),
      ]);
      return rows.map((r) => factsOf(r, parties[ids.indexOf(r.id)] ?? []));
    },
    async historyByTargets(targets: readonly string[]): Promise<WriteRow[][]> {
      const rows = await db
        .select()
        .from(registryWrite)
        .where(inArray(registryWrite.target, [...targets]))
        .orderBy(asc(registryWrite.seq));
      return targets.map((t) => rows.filter((r) => r.target === t));
    },
    async loggedWrite(key: string): Promise<WriteRow | null> {
      const [row] = await db
        .select()
        .from(registryWrite)
        .where(and(eq(registryWrite.idempotencyKey, key)));
      return row ?? null;
    },
  };
}

export type AgreementStore = ReturnType<typeof createAgreementStore>;
