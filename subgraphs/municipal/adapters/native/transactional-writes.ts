// The native adapter's writes: each in one transaction with its write-log entry, once per key.
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { replay } from '../../../../common/idempotency';
import { againOnUniqueViolation } from '../../../../common/unique-violation';
import { crossgateError } from '../../../../schema/errors';
import { globalId, parseGlobalId } from '../../../../schema/ids';
import { enqueueAlerts } from '../../alerts/outbox';
import {
  type AppealRecord,
  type CredentialRecord,
  type DecisionRecord,
  type MunicipalStore,
  nextCredentialState,
  type RecognitionOutcome,
  type RecordedStatus,
  type WriteLog,
} from '../../store';
import type { NativeDatabase } from './database';
import { placementRecordOf } from './placement-row';
import {
  appeal,
  credential,
  holder,
  placement,
  qualification,
  recognitionDecision,
  writeLog,
} from './schema';

type Tx = Parameters<Parameters<NativeDatabase['transaction']>[0]>[0];
type Writes = Pick<
  MunicipalStore,
  | 'issueCredential'
  | 'changeCredentialState'
  | 'registerPlacement'
  | 'recordDecision'
  | 'fileAppeal'
  | 'resolveAppeal'
  | 'decisionsByIds'
  | 'appealsByDecisionIds'
  | 'historyOf'
>;

const notFound = (id: string) => crossgateError('NOT_FOUND', `No record ${JSON.stringify(id.slice(0, 80))}`);

/** The next local id of a table in a municipality: <prefix>-<n+1>, six digits. */
async function nextLocalId(
  tx: Tx,
  table: typeof credential | typeof placement | typeof recognitionDecision | typeof appeal,
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

function credentialOf(r: typeof credential.$inferSelect): CredentialRecord {
  return {
    id: globalId(r.municipality, r.localId),
    municipality: r.municipality,
    holderId: globalId(r.municipality, r.holderLocalId),
    qualificationId: globalId(r.municipality, r.qualificationLocalId),
    state: r.status as RecordedStatus,
    validFrom: r.validFrom,
    validUntil: r.validUntil,
  };
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

const local = (id: string, municipality: string) => {
  const p = parseGlobalId(id);
  if (!p || p.municipality !== municipality) throw notFound(id);
  return p.localId;
};

export function createNativeWrites(db: NativeDatabase): Writes {
  /** Runs `apply` once per key, in one transaction with the log entry; a retry replays the result. */
  async function once<T>(
    log: WriteLog,
    apply: (tx: Tx) => Promise<{ target: string; result: T }>,
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
  }

  return {
    issueCredential: (input, log) =>
      once(log, async (tx) => {
        const m = input.municipality;
        const [h] = await tx
          .select()
          .from(holder)
          .where(and(eq(holder.municipality, m), eq(holder.localId, local(input.holderId, m))));
        if (!h) throw notFound(input.holderId);
        const [q] = await tx
          .select()
          .from(qualification)
          .where(
            and(
              eq(qualification.municipality, m),
              eq(qualification.localId, local(input.qualificationId, m)),
            ),
          );
        if (!q) throw notFound(input.qualificationId);
        const localId = await nextLocalId(tx, credential, m, 'C');
        const [row] = await tx
          .insert(credential)
          .values({
            municipality: m,
            localId,
            holderLocalId: h.localId,
            qualificationLocalId: q.localId,
            status: 'ACTIVE',
            validFrom: input.validFrom,
            validUntil: input.validUntil,
            verificationHash: input.verificationHash,
          })
          .returning();
        const result = credentialOf(row as typeof credential.$inferSelect);
        return { target: result.id, result };
      }),

    changeCredentialState: (id, action, log) =>
      once(log, async (tx) => {
        const where = and(
          eq(credential.municipality, log.municipality),
          eq(credential.localId, local(id, log.municipality)),
        );
        const [row] = await tx.select().from(credential).where(where);
        if (!row) throw notFound(id);
        const current = row.status as RecordedStatus;
        const next = nextCredentialState(current, action);
        if (!next)
          throw crossgateError('INVALID_TRANSITION', `Cannot ${action} a credential that is ${current}`, {
            recordId: id,
          });
        const [updated] = await tx.update(credential).set({ status: next }).where(where).returning();
        return { target: id, result: credentialOf(updated as typeof credential.$inferSelect) };
      }),

    registerPlacement: (input, log) =>
      once(log, async (tx) => {
        const localId = await nextLocalId(tx, placement, input.municipality, 'P');
        const [row] = await tx
          .insert(placement)
          .values({ ...input, localId })
          .returning();
        const result = placementRecordOf(row as typeof placement.$inferSelect);
        return { target: result.id, result };
      }),

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
        const decisionLocalId = local(decisionId, m);
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
          eq(appeal.localId, local(id, log.municipality)),
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
