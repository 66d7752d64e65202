// The native adapter's audit log: an append-only, hash-chained table in the municipality's own database.
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import type { PgHandle } from '../../../../common/postgres';
import { isUniqueViolation } from '../../../../common/unique-violation';
import type { Role } from '../../../../schema/caller';
import { type AuditEntry, type AuditEntryInput, type AuditStore, chainEntry } from '../../audit/chain';

export const auditLog = pgTable('audit_log', {
  seq: integer('seq').primaryKey(),
  at: text('at').notNull(),
  municipality: text('municipality').notNull(),
  requestId: text('request_id').notNull(),
  subject: text('subject').notNull(),
  role: text('role').notNull(),
  home: text('home'),
  purpose: text('purpose'),
  operation: text('operation').notNull(),
  fields: text('fields').notNull(),
  recordIds: text('record_ids').notNull(),
  decision: text('decision').notNull(),
  reason: text('reason'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/** Checkpoints of the chain the registry witnessed: the evidence a third party checks the chain against. */
export const auditCheckpoint = pgTable('audit_checkpoint', {
  entries: integer('entries').primaryKey(),
  headHash: text('head_hash').notNull(),
  witness: text('witness').notNull(),
});

/** Rows can be added, never changed or removed (short of a DBA dropping the trigger: the chain shows it). */
export const CREATE_AUDIT_TABLE = `
CREATE TABLE IF NOT EXISTS audit_log (
  seq integer PRIMARY KEY, at text NOT NULL, municipality text NOT NULL, request_id text NOT NULL,
  subject text NOT NULL, role text NOT NULL, home text, purpose text, operation text NOT NULL,
  fields text NOT NULL, record_ids text NOT NULL, decision text NOT NULL, reason text,
  prev_hash text NOT NULL, hash text NOT NULL);
CREATE INDEX IF NOT EXISTS audit_log_trail ON audit_log (municipality, seq);
CREATE TABLE IF NOT EXISTS audit_checkpoint (
  entries integer PRIMARY KEY, head_hash text NOT NULL, witness text NOT NULL);
CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
`;

const toEntry = (r: typeof auditLog.$inferSelect): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  municipality: r.municipality,
  requestId: r.requestId,
  subject: r.subject,
  role: r.role as Role,
  home: r.home,
  purpose: r.purpose,
  operation: r.operation,
  fields: JSON.parse(r.fields) as string[],
  recordIds: JSON.parse(r.recordIds) as string[],
  decision: r.decision === 'allowed' ? 'allowed' : 'denied',
  reason: r.reason,
  prevHash: r.prevHash,
  hash: r.hash,
});

export async function createNativeAuditStore(handle: PgHandle): Promise<AuditStore> {
  await handle.exec(CREATE_AUDIT_TABLE);
  const { db } = handle;
  // Appends from this process run one at a time; the table lock orders them against other replicas.
  let queue: Promise<unknown> = Promise.resolve();
  // The last entry this process read or wrote; undefined until known. While it is known, an
  // append is one INSERT: the primary key on seq refuses it if another replica appended first.
  let tip: { seq: number; hash: string } | null | undefined;
  const rowsAfter = (prev: { seq: number; hash: string } | null, inputs: readonly AuditEntryInput[]) => {
    let last = prev;
    const rows = inputs.map((input) => {
      const entry = chainEntry(last, input);
      last = entry;
      return { ...entry, fields: JSON.stringify(entry.fields), recordIds: JSON.stringify(entry.recordIds) };
    });
    return { rows, last };
  };
  const appendLocked = (inputs: readonly AuditEntryInput[]) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`LOCK TABLE audit_log IN EXCLUSIVE MODE`);
      const [found] = await tx
        .select({ seq: auditLog.seq, hash: auditLog.hash })
        .from(auditLog)
        .orderBy(desc(auditLog.seq))
        .limit(1);
      const { rows, last } = rowsAfter(found ?? null, inputs);
      await tx.insert(auditLog).values(rows);
      return last;
    });
  const appendNow = async (inputs: readonly AuditEntryInput[]) => {
    const known = tip;
    tip = undefined;
    if (known !== undefined) {
      const { rows, last } = rowsAfter(known, inputs);
      try {
        await db.insert(auditLog).values(rows);
        tip = last;
        return;
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    }
    tip = await appendLocked(inputs);
  };
  return {
    append(inputs) {
      if (inputs.length === 0) return Promise.resolve();
      const run = queue.then(() => appendNow(inputs));
      queue = run.catch(() => undefined);
      return run;
    },
    async trail({ municipality, first, before }) {
      const where =
        before === null
          ? eq(auditLog.municipality, municipality)
          : and(eq(auditLog.municipality, municipality), lt(auditLog.seq, before));
      const rows = await db.select().from(auditLog).where(where).orderBy(desc(auditLog.seq)).limit(first);
      return rows.map(toEntry);
    },
    async readAll() {
      return (await db.select().from(auditLog).orderBy(asc(auditLog.seq))).map(toEntry);
    },
    async readersOf(municipality, recordId) {
      const rows = await db
        .selectDistinct({ home: auditLog.home })
        .from(auditLog)
        .where(
          and(
            eq(auditLog.municipality, municipality),
            eq(auditLog.decision, 'allowed'),
            sql`${auditLog.home} IS NOT NULL AND ${auditLog.home} <> ${municipality}`,
            sql`${auditLog.recordIds}::jsonb ? ${recordId}`,
          ),
        );
      return rows.flatMap((r) => (r.home ? [r.home] : [])).sort();
    },
    async head() {
      const [last] = await db
        .select({ seq: auditLog.seq, hash: auditLog.hash })
        .from(auditLog)
        .orderBy(desc(auditLog.seq))
        .limit(1);
      return last ?? null;
    },
    async keepWitnessed({ entries, headHash, witness }) {
      await db.insert(auditCheckpoint).values({ entries, headHash, witness }).onConflictDoNothing();
    },
    async witnessed() {
      const rows = await db.select().from(auditCheckpoint).orderBy(asc(auditCheckpoint.entries));
      return rows.map((r) => r.witness);
    },
  };
}
