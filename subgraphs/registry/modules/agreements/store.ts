// Reads of agreements, their parties and the registry's write history (keyed reads: reference.ts).
import { and, asc, eq, inArray } from 'drizzle-orm';
import { agreement, agreementParty, registryWrite } from '../../db/schema';
import type { RegistryDatabase } from '../../store';
import type { AgreementRow, PartyRow } from './records';

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
    partiesByAgreementIds: partiesOf,
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
