// The region's own records of a municipality, in the native schema's tables (in the register's
// database, or in the side database beside a legacy register): recognition decisions, appeals and
// the write log, each write in one transaction with its log entry, once per idempotency key.
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { replay } from '../../../common/idempotency';
import { againOnUniqueViolation } from '../../../common/unique-violation';
import { crossgateError } from '../../../schema/errors';
import { globalId, parseGlobalId } from '../../../schema/ids';
import { enqueueAlerts } from '../alerts/outbox';
import type {
  AppealRecord,
  DecisionRecord,
  MunicipalStore,
  RecognitionOutcome,
  RecordedStatus,
  WriteLog,
} from '../store';
import type { NativeDatabase } from './native/database';
import { appeal, recognitionDecision, writeLog } from './native/schema';

export type OwnRecordsTx = Parameters<Parameters<NativeDatabase['transaction']>[0]>[0];
type OwnRecords = Pick<
  MunicipalStore,
  'recordDecision' | 'fileAppeal' | 'resolveAppeal' | 'decisionsByIds' | 'appealsByDecisionIds' | 'historyOf'
>;

export const notFound = (id: string) =>
  crossgateError('NOT_FOUND', `No record ${JSON.stringify(id.slice(0, 80))}`);

/** The local id of a global id of `municipality`; NOT_FOUND for another municipality's. */
export const localIdIn = (id: string, municipality: string) => {
  const p = parseGlobalId(id);
  if (!p || p.municipality !== municipality) throw notFound(id);
  return p.localId;
};

/** The next local id of a decision or appeal in a municipality: <prefix>-<n+1>, six digits. */
async function nextLocalId(
  tx: OwnRecordsTx,
  table: typeof recognitionDecision | typeof appeal,
  m: string,
  prefix: string,
) {
  const [row] = await tx
    .select({
      n: sql<number>`coalesce(max(substring(${table.localId} from ${sql.raw(String(prefix.length + 2))})::int), 0)`,
    })
    .from(table)
    .where(and(eq(table.municipality, m), sql`${table.localId} ~ ${`^${prefix}-[0-9]+$`}`));
  return `${prefix}-${String(Number(row?.n ?? 0) + 1).padStart(6, '0')}`;
}

/** The status a credential write left, read from its logged result (a CredentialRecord). */
function loggedStatus(result: unknown): RecordedStatus | null {
  const state = (result as { state?: unknown } | null)?.state;
  return state === 'ACTIVE' || state === 'SUSPENDED' || state === 'REVOKED' ? state : null;
}

function decisionOf(r: typeof recognitionDecision.$inferSelect): DecisionRecord {
  return {
    id: globalId(r.municipality, r.localId),
    municipality: r.municipality,
    credentialId: r.credentialId,
    decidedFor: r.decidedFor,
    decidedBy: r.decidedBy,
    recordedAt: new Date(r.recordedAt).toISOString(),
    outcome: r.outcome as RecognitionOutcome,
    reason: r.reason,
    agreementId: r.agreementId,
    clause: r.clause,
    inputs: r.inputs,
    note: r.note,
  };
}

function appealOf(r: typeof appeal.$inferSelect): AppealRecord {
  return {
    id: globalId(r.municipality, r.localId),
    decisionId: globalId(r.municipality, r.decisionLocalId),
    grounds: r.grounds,
    status: r.status as AppealRecord['status'],
    filedAt: new Date(r.filedAt).toISOString(),
    resolvedAt: r.resolvedAt ? new Date(r.resolvedAt).toISOString() : null,
    resolution: r.resolution,
  };
}

/**
 * Runs `apply` once per key, in one transaction with the log entry and its alerts; a retry replays
 * the logged result. A key taken by a concurrent first attempt is read again and replayed.
 */
export function writeOnce(db: NativeDatabase) {
  return async function once<T>(
    log: WriteLog,
    apply: (tx: OwnRecordsTx) => Promise<{ target: string; result: T }>,
  ): Promise<T> {
    const attempt = () =>
      db.transaction(async (tx) => {
        const [logged] = await tx
          .select()
          .from(writeLog)
          .where(
            and(eq(writeLog.municipality, log.municipality), eq(writeLog.idempotencyKey, log.idempotencyKey)),
          );
        if (logged) return replay<T>(logged, log.operation, log.payloadHash);
        const { target, result } = await apply(tx);
        await tx.insert(writeLog).values({
          municipality: log.municipality,
          idempotencyKey: log.idempotencyKey,
          operation: log.operation,
          target,
          payloadHash: log.payloadHash,
          result: result as object,
          actor: log.actor,
          reason: log.reason,
          recordedAt: log.at,
        });
        await enqueueAlerts(tx, log, target, result);
        return result;
      });
    return againOnUniqueViolation(attempt);
  };
}

export function createOwnRecords(db: NativeDatabase): OwnRecords {
  const once = writeOnce(db);
  return {
    recordDecision: (input, log) =>
      once(log, async (tx) => {
        const localId = await nextLocalId(tx, recognitionDecision, input.municipality, 'D');
        const [row] = await tx
          .insert(recognitionDecision)
          .values({ ...input, localId, decidedBy: log.actor, recordedAt: log.at })
          .returning();
        const result = decisionOf(row as typeof recognitionDecision.$inferSelect);
        return { target: result.id, result };
      }),

    fileAppeal: (decisionId, grounds, log) =>
      once(log, async (tx) => {
        const m = log.municipality;
        const decisionLocalId = localIdIn(decisionId, m);
        const [d] = await tx
          .select()
          .from(recognitionDecision)
          .where(
            and(eq(recognitionDecision.municipality, m), eq(recognitionDecision.localId, decisionLocalId)),
          );
        if (!d) throw notFound(decisionId);
        const localId = await nextLocalId(tx, appeal, m, 'A');
        const [row] = await tx
          .insert(appeal)
          .values({ municipality: m, localId, decisionLocalId, grounds, status: 'OPEN', filedAt: log.at })
          .returning();
        const result = appealOf(row as typeof appeal.$inferSelect);
        return { target: decisionId, result };
      }),

    resolveAppeal: (id, outcome, log) =>
      once(log, async (tx) => {
        const where = and(
          eq(appeal.municipality, log.municipality),
          eq(appeal.localId, localIdIn(id, log.municipality)),
        );
        const [row] = await tx.select().from(appeal).where(where);
        if (!row) throw notFound(id);
        if (row.status !== 'OPEN')
          throw crossgateError('INVALID_TRANSITION', `The appeal is already ${row.status}`, { recordId: id });
        const [updated] = await tx
          .update(appeal)
          .set({ status: outcome, resolvedAt: log.at, resolution: log.reason })
          .where(where)
          .returning();
        const result = appealOf(updated as typeof appeal.$inferSelect);
        return { target: result.decisionId, result };
      }),

    async decisionsByIds(ids) {
      const pairs = ids.flatMap((id) => {
        const p = parseGlobalId(id);
        return p
          ? [
              and(
                eq(recognitionDecision.municipality, p.municipality),
                eq(recognitionDecision.localId, p.localId),
              ),
            ]
          : [];
      });
      if (pairs.length === 0) return ids.map(() => null);
      const rows = (
        await db
          .select()
          .from(recognitionDecision)
          .where(or(...pairs))
      ).map(decisionOf);
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    },

    async appealsByDecisionIds(ids) {
      const pairs = ids.flatMap((id) => {
        const p = parseGlobalId(id);
        return p ? [and(eq(appeal.municipality, p.municipality), eq(appeal.decisionLocalId, p.localId))] : [];
      });
      if (pairs.length === 0) return ids.map(() => []);
      const rows = (
        await db
          .select()
          .from(appeal)
          .where(or(...pairs))
          .orderBy(asc(appeal.filedAt), asc(appeal.localId))
      ).map(appealOf);
      return ids.map((id) => rows.filter((r) => r.decisionId === id));
    },

    async historyOf(targets) {
      if (targets.length === 0) return [];
      const rows = await db
        .select()
        .from(writeLog)
        .where(inArray(writeLog.target, [...targets]))
        .orderBy(asc(writeLog.seq));
      return targets.map((t) =>
        rows
          .filter((r) => r.target === t)
          .map((r) => ({
            operation: r.operation,
            target: r.target,
            actor: r.actor,
            reason: r.reason,
            at: new Date(r.recordedAt).toISOString(),
            status: loggedStatus(r.result),
          })),
      );
    },
  };
}
