// Writes into the wide MariaDB register in its own shape: one-letter states, DD.MM.YYYY, the holder
// copied onto each register row, and the local occupation code looked up for the qualification.
import { and, eq, sql } from 'drizzle-orm';
import { crossgateError } from '../../../../schema/errors';
import { parseGlobalId } from '../../../../schema/ids';
import type { RegisterWriter } from '../adapter';
import { dottedFromIso } from '../register-keys-and-dates';
import { employment, occLookup, register } from './schema';
import { STATUS_LETTERS } from './seed';
import type { MariadbRegisterDatabase } from './store';

const DUPLICATE_KEY = 1062;
const isDuplicate = (e: unknown) =>
  (e as { errno?: number }).errno === DUPLICATE_KEY ||
  (e as { cause?: { errno?: number } }).cause?.errno === DUPLICATE_KEY;

/** `db` logs in as the register's owner; each write is one InnoDB transaction. */
export function createMariadbRegisterWriter(
  db: MariadbRegisterDatabase,
  close: () => Promise<void> = async () => {},
): RegisterWriter {
  const localOf = (id: string) => parseGlobalId(id)?.localId ?? id;
  /** Runs an insert; a row already under the key leaves the register as it was and answers false. */
  const insertOnce = async (run: () => Promise<unknown>) => {
    try {
      await run();
      return true;
    } catch (e) {
      if (isDuplicate(e)) return false;
      throw e;
    }
  };
  return {
    async highestLocalNumber(prefix) {
      const column = prefix === 'C' ? register.CERT_NO : employment.EMP_NO;
      const table = prefix === 'C' ? register : employment;
      const [row] = await db
        .select({ n: sql<string>`COALESCE(MAX(CAST(SUBSTRING(${column}, 3) AS UNSIGNED)), 0)` })
        .from(table)
        .where(sql`${column} REGEXP ${`^${prefix}-[0-9]+$`}`);
      return Number(row?.n ?? 0);
    },
    insertCredential: (localId, input, clerk) =>
      db.transaction(async (tx) => {
        const [person] = await tx
          .select({ name: register.PERS_NAME, rhid: register.PERS_RHID })
          .from(register)
          .where(eq(register.PERS_NO, localOf(input.holderId)))
          .limit(1);
        const [occupation] = await tx
          .select({ code: occLookup.OCC_CODE })
          .from(occLookup)
          .where(eq(occLookup.QUAL_NO, localOf(input.qualificationId)));
        if (!person) throw crossgateError('NOT_FOUND', `No holder ${JSON.stringify(input.holderId)}`);
        if (!occupation)
          throw crossgateError('NOT_FOUND', `No qualification ${JSON.stringify(input.qualificationId)}`);
        return insertOnce(() =>
          tx.insert(register).values({
            CERT_NO: localId,
            PERS_NO: localOf(input.holderId),
            PERS_NAME: person.name,
            PERS_RHID: person.rhid,
            OCC_CODE: occupation.code,
            STAT: STATUS_LETTERS.ACTIVE,
            VALID_FROM: dottedFromIso(input.validFrom),
            VALID_TO: input.validUntil === null ? '' : dottedFromIso(input.validUntil),
            VERIF_HASH: input.verificationHash,
            CLERK: clerk.slice(0, 40),
          }),
        );
      }),
    insertPlacement: (localId, input) =>
      insertOnce(() =>
        db.insert(employment).values({
          EMP_NO: localId,
          CERT_REF: input.credentialId,
          ISCO08: input.iscoCode,
          EMPLOYER: input.employer,
          START_DT: dottedFromIso(input.startDate),
          END_DT: input.endDate === null ? null : dottedFromIso(input.endDate),
        }),
      ),
    async setCredentialState(localId, from, to) {
      const [result] = await db
        .update(register)
        .set({ STAT: STATUS_LETTERS[to] })
        .where(and(eq(register.CERT_NO, localId), eq(register.STAT, STATUS_LETTERS[from])));
      return result.affectedRows === 1;
    },
    close,
  };
}
