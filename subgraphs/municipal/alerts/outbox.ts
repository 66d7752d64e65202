// What a write puts in the outbox, in its own transaction: a status change to announce to every
// member that used the credential, or a use of another member's credential to announce to its issuer.
import { randomUUID } from 'node:crypto';
import { parseGlobalId } from '../../../schema/ids';
import type { NativeDatabase } from '../adapters/native/database';
import type { WriteLog } from '../store';
import { EVENT_TYPES } from './events';
import { alertOutbox, credentialUse, FAN_OUT } from './tables';

const LIFECYCLE = new Set(['suspendCredential', 'reinstateCredential', 'revokeCredential']);
const USES: Record<string, 'placement' | 'decision'> = {
  registerPlacement: 'placement',
  recordRecognitionDecision: 'decision',
};

type Tx = Pick<NativeDatabase, 'insert'>;

/**
 * Called by every store right after it writes a log entry, inside the same transaction: the event
 * and the change it announces commit together or not at all.
 */
export async function enqueueAlerts(tx: Tx, log: WriteLog, target: string, result: unknown): Promise<void> {
  const at = log.at;
  const base = { sourceMember: log.municipality, createdAt: new Date(at), nextAttemptAt: new Date() };
  if (LIFECYCLE.has(log.operation)) {
    const state = (result as { state?: string }).state;
    if (!state) return;
    await tx.insert(alertOutbox).values({
      ...base,
      id: randomUUID(),
      target: FAN_OUT,
      type: EVENT_TYPES.statusChanged,
      subject: target,
      data: { credentialId: target, status: state, effectiveAt: at },
    });
    return;
  }
  const kind = USES[log.operation];
  const record = result as { id?: string; credentialId?: string };
  if (!kind || !record.id || !record.credentialId) return;
  const issuer = parseGlobalId(record.credentialId)?.municipality;
  if (!issuer || issuer === log.municipality) return;
  await tx
    .insert(credentialUse)
    .values({ credentialId: record.credentialId, recordId: record.id, kind, municipality: log.municipality })
    .onConflictDoNothing();
  await tx.insert(alertOutbox).values({
    ...base,
    id: randomUUID(),
    target: issuer,
    type: EVENT_TYPES.used,
    subject: record.credentialId,
    data: { credentialId: record.credentialId, kind },
  });
}
