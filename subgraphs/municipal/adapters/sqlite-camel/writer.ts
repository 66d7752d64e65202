// Writes into the camelCase SQLite register in its own shape: epoch seconds, word statuses, its keys.
import { and, eq, sql } from 'drizzle-orm';
import { parseGlobalId } from '../../../../schema/ids';
import type { RecordedStatus } from '../../store';
import type { RegisterWriter } from '../adapter';
import { epochFromIso } from '../register-keys-and-dates';
import { credentials, placements } from './schema';
import type { SqliteCamelDatabase } from './store';

const STATUS: Record<RecordedStatus, string> = {
  ACTIVE: 'active',
  SUSPENDED: 'suspended',
  REVOKED: 'revoked',
};
const epochOrNull = (iso: string | null) => (iso === null ? null : epochFromIso(iso));

/** `db` is the owner's read-write connection; each write is one statement, atomic on its own. */
export function createSqliteCamelWriter(
  db: SqliteCamelDatabase,
  close: () => Promise<void> = async () => {},
): RegisterWriter {
  const localOf = (id: string) => parseGlobalId(id)?.localId ?? id;
  return {
    async highestLocalNumber(prefix) {
      const column = prefix === 'C' ? credentials.credentialId : placements.placementId;
      const table = prefix === 'C' ? credentials : placements;
      const [row] = db
        .select({ n: sql<number>`coalesce(max(CAST(substr(${column}, 3) AS INTEGER)), 0)` })
        .from(table)
        .where(sql`${column} GLOB ${`${prefix}-[0-9]*`} AND substr(${column}, 3) NOT GLOB '*[^0-9]*'`)
        .all();
      return Number(row?.n ?? 0);
    },
    async insertCredential(localId, input) {
      const result = db
        .insert(credentials)
        .values({
          credentialId: localId,
          holderId: localOf(input.holderId),
          programmeId: localOf(input.qualificationId),
          status: STATUS.ACTIVE,
          validFrom: epochFromIso(input.validFrom),
          validUntil: epochOrNull(input.validUntil),
          verificationHash: input.verificationHash,
        })
        .onConflictDoNothing()
        .run();
      return result.changes === 1;
    },
    async insertPlacement(localId, input) {
      const result = db
        .insert(placements)
        .values({
          placementId: localId,
          credentialRef: input.credentialId,
          iscoCode: input.iscoCode,
          employerName: input.employer,
          startedAt: epochFromIso(input.startDate),
          endedAt: epochOrNull(input.endDate),
        })
        .onConflictDoNothing()
        .run();
      return result.changes === 1;
    },
    async setCredentialState(localId, from, to) {
      const result = db
        .update(credentials)
        .set({ status: STATUS[to] })
        .where(and(eq(credentials.credentialId, localId), eq(credentials.status, STATUS[from])))
        .run();
      return result.changes === 1;
    },
    close,
  };
}
