// Writes into the normalised PostgreSQL register in its own shape: state codes, typed dates, its keys.
import { and, eq, sql } from 'drizzle-orm';
import { parseGlobalId } from '../../../../schema/ids';
import type { RegisterWriter } from '../adapter';
import { certificate, employment } from './schema';
import { STATE_CODES } from './seed';
import type { PgNormalisedDatabase } from './store';

/**
 * Every write runs in a read-write transaction: on PGlite the register's one session defaults to
 * read-only (it has no logins), so the write path asks for read-write explicitly.
 */
export function createPgNormalisedWriter(
  db: PgNormalisedDatabase,
  close: () => Promise<void> = async () => {},
): RegisterWriter {
  const write = <T>(run: (tx: PgNormalisedDatabase) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`SET TRANSACTION READ WRITE`);
      return run(tx as unknown as PgNormalisedDatabase);
    });
  const localOf = (id: string) => parseGlobalId(id)?.localId ?? id;
  return {
    async highestLocalNumber(prefix) {
      const column = prefix === 'C' ? certificate.certificateNo : employment.employmentNo;
      const table = prefix === 'C' ? certificate : employment;
      const [row] = await db
        .select({ n: sql<string>`coalesce(max(substring(${column} from 3)::bigint), 0)` })
        .from(table)
        .where(sql`${column} ~ ${`^${prefix}-[0-9]+$`}`);
      return Number(row?.n ?? 0);
    },
    insertCredential: (localId, input) =>
      write(async (tx) => {
        const rows = await tx
          .insert(certificate)
          .values({
            certificateNo: localId,
            personRef: localOf(input.holderId),
            programmeRef: localOf(input.qualificationId),
            stateCode: STATE_CODES.ACTIVE,
            issuedOn: input.validFrom,
            expiresOn: input.validUntil,
            verificationDigest: input.verificationHash,
          })
          .onConflictDoNothing()
          .returning({ no: certificate.certificateNo });
        return rows.length === 1;
      }),
    insertPlacement: (localId, input) =>
      write(async (tx) => {
        const rows = await tx
          .insert(employment)
          .values({
            employmentNo: localId,
            certificateRef: input.credentialId,
            isco08: input.iscoCode,
            employerName: input.employer,
            startedOn: input.startDate,
            endedOn: input.endDate,
          })
          .onConflictDoNothing()
          .returning({ no: employment.employmentNo });
        return rows.length === 1;
      }),
    setCredentialState: (localId, from, to) =>
      write(async (tx) => {
        const rows = await tx
          .update(certificate)
          .set({ stateCode: STATE_CODES[to] })
          .where(and(eq(certificate.certificateNo, localId), eq(certificate.stateCode, STATE_CODES[from])))
          .returning({ no: certificate.certificateNo });
        return rows.length === 1;
      }),
    close,
  };
}
