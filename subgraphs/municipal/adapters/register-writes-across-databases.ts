// Credential and placement writes on a legacy register, in two steps across two databases: the key
// and the write log in the side database, the change in the register; nothing lost or applied twice.
import { and, eq, sql } from 'drizzle-orm';
import { jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { replay } from '../../../common/idempotency';
import type { PgHandle } from '../../../common/postgres';
import { againOnUniqueViolation } from '../../../common/unique-violation';
import { crossgateError } from '../../../schema/errors';
import { globalId, parseGlobalId } from '../../../schema/ids';
import { enqueueAlerts } from '../alerts/outbox';
import {
  type CredentialAction,
  type CredentialRecord,
  type MunicipalStore,
  type NewCredential,
  type NewPlacement,
  nextCredentialState,
  type PlacementRecord,
  type RecordedStatus,
  type WriteLog,
} from '../store';
import type { RegisterReads, RegisterWriter } from './adapter';
import { writeLog } from './native/schema';

/** What a reserved write will do to the register, fixed before it is applied so a retry can tell. */
export type RegisterPlan =
  | { kind: 'issue'; localId: string; input: NewCredential }
  | { kind: 'state'; localId: string; action: CredentialAction; from: RecordedStatus; to: RecordedStatus }
  | { kind: 'placement'; localId: string; input: NewPlacement };

/** A write whose key is reserved in the side database and whose register change may not be logged yet. */
export const pendingRegisterWrite = pgTable(
  'pending_register_write',
  {
    municipality: text('municipality').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    operation: text('operation').notNull(),
    payloadHash: text('payload_hash').notNull(),
    plan: jsonb('plan').$type<RegisterPlan>().notNull(),
    log: jsonb('log').$type<WriteLog>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.municipality, t.idempotencyKey] })],
);

const CREATE_PENDING = `
CREATE TABLE IF NOT EXISTS pending_register_write (
  municipality text COLLATE "C" NOT NULL, idempotency_key text NOT NULL, operation text NOT NULL,
  payload_hash text NOT NULL, plan jsonb NOT NULL, log jsonb NOT NULL,
  PRIMARY KEY (municipality, idempotency_key));
`;

/** Points where a test stops a write as a crash would (after the step before has committed). */
export interface WriteFaults {
  /** After the key is reserved, before the register is changed. */
  beforeRegister?: (plan: RegisterPlan) => void;
  /** After the register's change has committed, before the write log records it. */
  afterRegister?: (plan: RegisterPlan) => void;
}

type RegisterWrites = Pick<MunicipalStore, 'issueCredential' | 'changeCredentialState' | 'registerPlacement'>;
type Side = PgHandle['db'];
type Outcome = { target: string; result: unknown } | { error: Error };

const notFound = (id: string) => crossgateError('NOT_FOUND', `No record ${JSON.stringify(id.slice(0, 80))}`);
const sameCredential = (c: CredentialRecord, input: NewCredential) =>
  c.holderId === input.holderId &&
  c.qualificationId === input.qualificationId &&
  c.validFrom === input.validFrom &&
  c.validUntil === input.validUntil;
const samePlacement = (p: PlacementRecord, input: NewPlacement) =>
  p.credentialId === input.credentialId &&
  // A register without an employer column reads it as null.
  (p.employer === null || p.employer === input.employer) &&
  p.iscoCode === input.iscoCode &&
  p.startDate === input.startDate &&
  p.endDate === input.endDate;

/**
 * 1. reserve: in one side transaction, replay a logged key, resume a pending one, or record the key
 *    as pending with its plan (the new local id, or the state it moves from and to);
 * 2. apply: in the register's own transaction, as a compare-and-set that is a no-op when already done;
 * 3. finish: in the side transaction that holds the pending row locked through step 2, write the log
 *    entry and drop the pending row. A crash between 2 and 3 leaves the row pending; the retry (or
 *    recoverPending) finds the change in the register and only finishes.
 */
export async function createRegisterWrites(
  reads: RegisterReads,
  writer: RegisterWriter,
  side: PgHandle,
  faults: WriteFaults = {},
): Promise<RegisterWrites & { recoverPending(): Promise<number> }> {
  await side.exec(CREATE_PENDING);
  const [code] = reads.municipalities as [string];
  const keyOf = (m: string, key: string) =>
    and(eq(pendingRegisterWrite.municipality, m), eq(pendingRegisterWrite.idempotencyKey, key));

  /** The next free local id in the register's scheme: above its own and every id already reserved. */
  async function nextLocalId(tx: Side, kind: 'issue' | 'placement', firstDay: string) {
    const reserved = await tx
      .select({ plan: pendingRegisterWrite.plan })
      .from(pendingRegisterWrite)
      .where(eq(pendingRegisterWrite.municipality, code));
    const taken = reserved
      .map((r) => r.plan)
      .filter((p) => p.kind === kind)
      .map((p) => p.localId);
    return writer.allocateLocalId(kind === 'issue' ? 'credential' : 'placement', firstDay, taken);
  }

  async function credentialOf(id: string): Promise<CredentialRecord> {
    const [found] = await reads.credentialsByIds([id]);
    if (!found) throw notFound(id);
    if (found instanceof Error) throw found;
    return found;
  }

  /** Applies a plan to the register unless it is there already; may move it to a fresh id or state. */
  async function apply(tx: Side, log: WriteLog, plan: RegisterPlan): Promise<Outcome> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = globalId(code, plan.localId);
      if (plan.kind === 'issue' || plan.kind === 'placement') {
        const inserted =
          plan.kind === 'issue'
            ? await writer.insertCredential(plan.localId, plan.input, log.actor)
            : await writer.insertPlacement(plan.localId, plan.input);
        if (plan.kind === 'issue') {
          const [record] = await reads.credentialsByIds([id]);
          const [hash] = await reads.verificationHashesByIds([id]);
          const ours =
            record &&
            !(record instanceof Error) &&
            sameCredential(record, plan.input) &&
            hash === plan.input.verificationHash;
          if (inserted || ours) return { target: id, result: record };
        } else {
          const [record] = await reads.placementsByIds([id]);
          if (inserted || (record && !(record instanceof Error) && samePlacement(record, plan.input)))
            return { target: id, result: record };
        }
        // The register's own system took the id in the meantime: reserve the next one.
        const firstDay = plan.kind === 'issue' ? plan.input.validFrom : plan.input.startDate;
        plan = { ...plan, localId: await nextLocalId(tx, plan.kind, firstDay) };
      } else {
        if (await writer.setCredentialState(plan.localId, plan.from, plan.to))
          return { target: id, result: await credentialOf(id) };
        const current = await credentialOf(id).catch((e: Error) => e);
        if (current instanceof Error) return { error: current };
        if (current.state === plan.to) return { target: id, result: current };
        const to = nextCredentialState(current.state, plan.action);
        if (!to) return { error: invalidTransition(id, plan.action, current.state) };
        plan = { ...plan, from: current.state, to };
      }
      await tx.update(pendingRegisterWrite).set({ plan }).where(keyOf(log.municipality, log.idempotencyKey));
    }
    return { error: crossgateError('INTERNAL_SERVER_ERROR', 'The register kept changing under the write') };
  }

  /** Steps 2 and 3 for one reserved key, holding its pending row locked. */
  async function complete(m: string, key: string, onlyIfApplied = false): Promise<unknown> {
    const outcome = await side.db.transaction(async (tx): Promise<Outcome | { replayed: unknown }> => {
      const [pending] = await tx.select().from(pendingRegisterWrite).where(keyOf(m, key)).for('update');
      if (!pending) {
        const [logged] = await tx
          .select()
          .from(writeLog)
          .where(and(eq(writeLog.municipality, m), eq(writeLog.idempotencyKey, key)));
        if (logged) return { replayed: replay(logged, logged.operation, logged.payloadHash) };
        return { error: crossgateError('INTERNAL_SERVER_ERROR', 'The write was abandoned; send it again') };
      }
      const log = pending.log;
      if (onlyIfApplied && !(await isApplied(pending.plan))) {
        await tx.delete(pendingRegisterWrite).where(keyOf(m, key));
        return { error: crossgateError('INTERNAL_SERVER_ERROR', 'The write never reached the register') };
      }
      faults.beforeRegister?.(pending.plan);
      const done = await apply(tx, log, pending.plan);
      if ('error' in done) {
        await tx.delete(pendingRegisterWrite).where(keyOf(m, key));
        return done;
      }
      faults.afterRegister?.(pending.plan);
      await tx.insert(writeLog).values({
        municipality: m,
        idempotencyKey: key,
        operation: log.operation,
        target: done.target,
        payloadHash: log.payloadHash,
        result: done.result as object,
        actor: log.actor,
        reason: log.reason,
        recordedAt: log.at,
      });
      await enqueueAlerts(tx, log, done.target, done.result);
      await tx.delete(pendingRegisterWrite).where(keyOf(m, key));
      return done;
    });
    if ('replayed' in outcome) return outcome.replayed;
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  }

  /** Whether a pending plan's change is in the register already (recovery finishes only those). */
  async function isApplied(plan: RegisterPlan): Promise<boolean> {
    const id = globalId(code, plan.localId);
    if (plan.kind === 'state') {
      const [c] = await reads.credentialsByIds([id]);
      return !!c && !(c instanceof Error) && c.state === plan.to;
    }
    if (plan.kind === 'issue') {
      const [c] = await reads.credentialsByIds([id]);
      return !!c && !(c instanceof Error) && sameCredential(c, plan.input);
    }
    const [p] = await reads.placementsByIds([id]);
    return !!p && !(p instanceof Error) && samePlacement(p, plan.input);
  }

  /** Step 1, then steps 2 and 3. `plan` validates against the register and fixes what will change. */
  async function once<T>(log: WriteLog, plan: (tx: Side) => Promise<RegisterPlan>): Promise<T> {
    const reserve = () =>
      side.db.transaction(async (tx) => {
        await tx.execute(
          sql`SELECT pg_advisory_xact_lock(hashtext(${`crossgate-register-${log.municipality}`}))`,
        );
        const [logged] = await tx
          .select()
          .from(writeLog)
          .where(
            and(eq(writeLog.municipality, log.municipality), eq(writeLog.idempotencyKey, log.idempotencyKey)),
          );
        if (logged) return { replayed: replay<T>(logged, log.operation, log.payloadHash) };
        const [pending] = await tx
          .select()
          .from(pendingRegisterWrite)
          .where(keyOf(log.municipality, log.idempotencyKey));
        if (pending) {
          replay({ ...pending, result: null }, log.operation, log.payloadHash);
          return { reserved: true };
        }
        await tx.insert(pendingRegisterWrite).values({
          municipality: log.municipality,
          idempotencyKey: log.idempotencyKey,
          operation: log.operation,
          payloadHash: log.payloadHash,
          plan: await plan(tx),
          log,
        });
        return { reserved: true };
      });
    const step = await againOnUniqueViolation(reserve);
    if ('replayed' in step) return step.replayed as T;
    return (await complete(log.municipality, log.idempotencyKey)) as T;
  }

  const localOf = (id: string) => {
    const p = parseGlobalId(id);
    if (!p || p.municipality !== code) throw notFound(id);
    return p.localId;
  };

  return {
    issueCredential: (input, log) =>
      once(log, async (tx) => {
        if (input.municipality !== code) throw notFound(input.holderId);
        const [h] = await reads.holdersByIds([input.holderId]);
        if (!h) throw notFound(input.holderId);
        if (h instanceof Error) throw h;
        const [q] = await reads.qualificationsByIds([input.qualificationId]);
        if (!q) throw notFound(input.qualificationId);
        if (q instanceof Error) throw q;
        return { kind: 'issue', localId: await nextLocalId(tx, 'issue', input.validFrom), input };
      }),

    changeCredentialState: (id, action, log) =>
      once(log, async () => {
        const localId = localOf(id);
        const current = await credentialOf(id);
        const to = nextCredentialState(current.state, action);
        if (!to) throw invalidTransition(id, action, current.state);
        return { kind: 'state', localId, action, from: current.state, to };
      }),

    registerPlacement: (input, log) =>
      once(log, async (tx) => ({
        kind: 'placement',
        localId: await nextLocalId(tx, 'placement', input.startDate),
        input,
      })),

    /** Finishes every pending write whose change reached the register; drops those that did not. */
    async recoverPending() {
      const rows = await side.db
        .select({ m: pendingRegisterWrite.municipality, key: pendingRegisterWrite.idempotencyKey })
        .from(pendingRegisterWrite)
        .where(eq(pendingRegisterWrite.municipality, code));
      let finished = 0;
      for (const r of rows) {
        if (
          await complete(r.m, r.key, true).then(
            () => true,
            () => false,
          )
        )
          finished++;
      }
      return finished;
    },
  };
}

function invalidTransition(id: string, action: CredentialAction, current: RecordedStatus) {
  return crossgateError('INVALID_TRANSITION', `Cannot ${action} a credential that is ${current}`, {
    recordId: id,
  });
}
