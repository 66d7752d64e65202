// Sends the outbox: addresses each status change to the members that used the credential, POSTs every
// due event signed with this member's key, marks it delivered on a 2xx and retries it otherwise.
import { and, asc, eq, isNull, lte, ne } from 'drizzle-orm';
import { request } from 'undici';
import { backoffDelay } from '../../../common/backoff';
import { signedPost } from '../../../common/directory-client';
import type { KeyLookup } from '../../../common/key-directory';
import type { Logger } from '../../../common/logger';
import type { MemberKeyring } from '../../../common/member-keys';
import type { NativeDatabase } from '../adapters/native/database';
import type { AuditStore } from '../audit/chain';
import { sourceOf, structuredMessage } from './events';
import { alertOutbox, credentialUser, FAN_OUT } from './tables';

export interface AlertDispatcherOptions {
  /** The own-records database that holds the outbox. */
  db: NativeDatabase;
  /** The owner's audit log: which members' officers read a credential. */
  audit: Pick<AuditStore, 'readersOf'>;
  keyring: MemberKeyring;
  /** Where each member's event endpoint is published. */
  directory: Pick<KeyLookup, 'eventEndpointOf'>;
  log: Logger;
  /** How often the outbox is read when nothing nudges the dispatcher. */
  pollMs: number;
  /** Backoff of a failed send: first bound and largest bound, in milliseconds (full jitter). */
  retry: { initialMs: number; maxMs: number };
  /** Bound on one send. */
  timeoutMs: number;
  /** Clock of signatures; defaults to the system clock. */
  signatureNow?: () => number;
  random?: () => number;
}

type Row = typeof alertOutbox.$inferSelect;

/** Rows read per round; the next round takes the rest at once. */
const BATCH = 200;
/** The shortest wait before a failed send is tried again. */
const MIN_RETRY_MS = 100;

export class AlertDispatcher {
  private stopped = true;
  private running?: Promise<void>;
  private wake?: () => void;
  private again = false;

  constructor(private readonly options: AlertDispatcherOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  /** Asks for a round now (a write has just put something in the outbox). */
  nudge(): void {
    this.again = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.again = false;
      try {
        const round = await this.runOnce();
        if (round.sent + round.failed === BATCH) this.again = true;
      } catch (e) {
        this.options.log.warn({ err: e }, 'alert dispatch round failed');
      }
      if (this.stopped) break;
      if (this.again) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        timer.unref();
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** One round: address the new status changes, then send what is due. */
  async runOnce(): Promise<{ addressed: number; sent: number; failed: number }> {
    const addressed = await this.addressStatusChanges();
    const { db } = this.options;
    const due = await db
      .select()
      .from(alertOutbox)
      .where(
        and(
          isNull(alertOutbox.deliveredAt),
          ne(alertOutbox.target, FAN_OUT),
          lte(alertOutbox.nextAttemptAt, new Date()),
        ),
      )
      .orderBy(asc(alertOutbox.createdAt), asc(alertOutbox.id))
      .limit(BATCH);
    const byTarget = new Map<string, Row[]>();
    for (const row of due) byTarget.set(row.target, [...(byTarget.get(row.target) ?? []), row]);
    let sent = 0;
    let failed = 0;
    // Members in parallel; one member's events in order, and none more once one fails this round.
    await Promise.all(
      [...byTarget.values()].map(async (rows) => {
        for (const row of rows) {
          if (this.stopped) return;
          if (await this.send(row)) sent++;
          else {
            failed++;
            return;
          }
        }
      }),
    );
    return { addressed, sent, failed };
  }

  /** Replaces each unaddressed status change by one event per member that used the credential. */
  private async addressStatusChanges(): Promise<number> {
    const { db, audit } = this.options;
    const pending = await db
      .select()
      .from(alertOutbox)
      .where(and(eq(alertOutbox.target, FAN_OUT), isNull(alertOutbox.deliveredAt)))
      .orderBy(asc(alertOutbox.createdAt))
      .limit(BATCH);
    for (const row of pending) {
      const users = await db
        .select({ member: credentialUser.member })
        .from(credentialUser)
        .where(eq(credentialUser.credentialId, row.subject));
      const readers = await audit.readersOf(row.sourceMember, row.subject);
      const targets = [...new Set([...users.map((u) => u.member), ...readers])]
        .filter((m) => m !== row.sourceMember)
        .sort();
      await db.transaction(async (tx) => {
        if (targets.length > 0) {
          await tx
            .insert(alertOutbox)
            .values(
              targets.map((target) => ({
                ...row,
                id: `${row.id}.${target}`,
                target,
                attempts: 0,
                deliveredAt: null,
                lastError: null,
              })),
            )
            .onConflictDoNothing();
        }
        await tx
          .update(alertOutbox)
          .set({ deliveredAt: new Date(), lastError: `addressed to ${targets.join(', ') || 'no one'}` })
          .where(eq(alertOutbox.id, row.id));
      });
    }
    return pending.length;
  }

  /** Sends one event; true when the receiver took it (2xx). */
  private async send(row: Row): Promise<boolean> {
    const { db, directory, keyring, log } = this.options;
    const attempts = row.attempts + 1;
    let problem: string;
    try {
      const url = await directory.eventEndpointOf(row.target);
      if (!url) throw new Error(`the directory publishes no event endpoint for ${row.target}`);
      const { body, contentType } = structuredMessage({
        id: row.id,
        source: sourceOf(row.sourceMember),
        recipient: row.target,
        type: row.type,
        subject: row.subject,
        time: row.createdAt.toISOString(),
        data: row.data,
      });
      const now = (this.options.signatureNow ?? Date.now)();
      const res = await request(url, {
        method: 'POST',
        headers: signedPost(keyring, url, body, now, { 'content-type': contentType }),
        body,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      const answer = await res.body.text();
      if (res.statusCode >= 200 && res.statusCode < 300) {
        await db
          .update(alertOutbox)
          .set({ deliveredAt: new Date(), attempts, lastError: null })
          .where(eq(alertOutbox.id, row.id));
        return true;
      }
      problem = `HTTP ${res.statusCode}: ${answer.slice(0, 200)}`;
    } catch (e) {
      problem = (e as Error).message;
    }
    const wait = Math.max(
      MIN_RETRY_MS,
      backoffDelay(attempts, { ...this.options.retry, random: this.options.random }),
    );
    log.warn({ event: row.id, target: row.target, attempts, nextInMs: wait, problem }, 'event not delivered');
    await db
      .update(alertOutbox)
      .set({ attempts, nextAttemptAt: new Date(Date.now() + wait), lastError: problem.slice(0, 500) })
      .where(eq(alertOutbox.id, row.id));
    return false;
  }
}
