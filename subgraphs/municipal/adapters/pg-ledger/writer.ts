// Writes into the PostgreSQL award ledger in its own shape: surrogate keys, date ranges, its words.
import { and, eq, sql } from 'drizzle-orm';
import { crossgateError } from '../../../../schema/errors';
import { parseGlobalId } from '../../../../schema/ids';
import type { RegisterWriter } from '../adapter';
import { award, awardType, job, learner } from './schema';
import { LEDGER_STATES, rangeOf } from './seed';
import type { PgLedgerDatabase } from './store';

/** Each write is one read-write transaction (the PGlite session defaults to read-only). */
export function createPgLedgerWriter(
  db: PgLedgerDatabase,
  close: () => Promise<void> = async () => {},
): RegisterWriter {
  const write = <T>(run: (tx: PgLedgerDatabase) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`SET TRANSACTION READ WRITE`);
      return run(tx as unknown as PgLedgerDatabase);
    });
  const localOf = (id: string) => parseGlobalId(id)?.localId ?? id;
  return {
    async highestLocalNumber(prefix) {
      const column = prefix === 'C' ? award.awardRef : job.jobRef;
      const table = prefix === 'C' ? award : job;
      const [row] = await db
        .select({ n: sql<string>`coalesce(max(substring(${column} from 3)::bigint), 0)` })
        .from(table)
        .where(sql`${column} ~ ${`^${prefix}-[0-9]+$`}`);
      return Number(row?.n ?? 0);
    },
    insertCredential: (localId, input) =>
      write(async (tx) => {
        const [l] = await tx
          .select({ id: learner.learnerId })
          .from(learner)
          .where(eq(learner.learnerRef, localOf(input.holderId)));
        const [t] = await tx
          .select({ id: awardType.awardTypeId })
          .from(awardType)
          .where(eq(awardType.awardTypeRef, localOf(input.qualificationId)));
        if (!l) throw crossgateError('NOT_FOUND', `No holder ${JSON.stringify(input.holderId)}`);
        if (!t)
          throw crossgateError('NOT_FOUND', `No qualification ${JSON.stringify(input.qualificationId)}`);
        const rows = await tx
          .insert(award)
          .values({
            awardRef: localId,
            learnerId: l.id,
            awardTypeId: t.id,
            state: LEDGER_STATES.ACTIVE,
            validity: rangeOf(input.validFrom, input.validUntil),
            digest: input.verificationHash,
          })
          .onConflictDoNothing({ target: award.awardRef })
          .returning({ ref: award.awardRef });
        return rows.length === 1;
      }),
    insertPlacement: (localId, input) =>
      write(async (tx) => {
        const rows = await tx
          .insert(job)
          .values({
            jobRef: localId,
            awardGlobalRef: input.credentialId,
            isco: input.iscoCode,
            employer: input.employer,
            period: rangeOf(input.startDate, input.endDate),
          })
          .onConflictDoNothing({ target: job.jobRef })
          .returning({ ref: job.jobRef });
        return rows.length === 1;
      }),
    setCredentialState: (localId, from, to) =>
      write(async (tx) => {
        const rows = await tx
          .update(award)
          .set({ state: LEDGER_STATES[to] })
          .where(and(eq(award.awardRef, localId), eq(award.state, LEDGER_STATES[from])))
          .returning({ ref: award.awardRef });
        return rows.length === 1;
      }),
    close,
  };
}
