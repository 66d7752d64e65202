// The event endpoint of a member: takes a signed CloudEvent from another member once (by source and
// id), flags the placements and decisions it holds on a credential whose status changed, and lists them.
import type { ServerResponse } from 'node:http';
import { and, desc, eq, lt } from 'drizzle-orm';
import { sendJson } from '../../../common/http';
import type { SignerKey } from '../../../common/key-directory';
import type { SignedRoute } from '../../../common/signed-route';
import { CODES, type ErrorCode } from '../../../schema/errors';
import { parseGlobalId } from '../../../schema/ids';
import type { NativeDatabase } from '../adapters/native/database';
import { parseEvent, type ReceivedEvent, sourceOf } from './events';
import { credentialAlert, credentialUse, credentialUser, receivedEvent } from './tables';

export type AlertRecord = typeof credentialAlert.$inferSelect;

/** What the `alerts` query reads: a municipality's alerts, newest first, below a position. */
export interface AlertInbox {
  page(municipality: string, first: number, before: number | null): Promise<AlertRecord[]>;
}

export function alertInbox(db: NativeDatabase): AlertInbox {
  return {
    page: (municipality, first, before) =>
      db
        .select()
        .from(credentialAlert)
        .where(
          before === null
            ? eq(credentialAlert.municipality, municipality)
            : and(eq(credentialAlert.municipality, municipality), lt(credentialAlert.seq, before)),
        )
        .orderBy(desc(credentialAlert.seq))
        .limit(first),
  };
}

const refuse = (res: ServerResponse, status: number, code: ErrorCode, message: string) =>
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });

/** Why a well-formed event may not be taken from this signer by this member; null when it may. */
function eventProblem(
  event: ReceivedEvent,
  signer: SignerKey,
  held: readonly string[],
): { status: number; code: ErrorCode; message: string } | null {
  if (!signer.members.includes(event.sender)) {
    return {
      status: 401,
      code: CODES.SIGNATURE_INVALID,
      message: `The event's source is ${event.sender}, but it is signed by a key of ${signer.members.join('+')}`,
    };
  }
  if (!held.includes(event.recipient)) {
    return {
      status: 404,
      code: CODES.UNKNOWN_MUNICIPALITY,
      message: `This server keeps no records of ${event.recipient}`,
    };
  }
  const issuer = parseGlobalId(event.data.credentialId)?.municipality;
  const expected = event.kind === 'status-changed' ? event.sender : event.recipient;
  if (issuer !== expected) {
    return {
      status: 403,
      code: CODES.FORBIDDEN,
      message:
        event.kind === 'status-changed'
          ? `${event.sender} may announce status changes of its own credentials only`
          : `A use of ${event.data.credentialId} is told to its issuer, not to ${event.recipient}`,
    };
  }
  return null;
}

/** POST /events, behind the signature check of members' keys. */
export function eventsRoute(
  db: NativeDatabase,
  municipalities: readonly string[],
  now: () => Date,
): SignedRoute {
  return async (req, res, body, signer) => {
    let event: ReceivedEvent;
    try {
      event = parseEvent(String(req.headers['content-type'] ?? ''), body);
    } catch (e) {
      return refuse(
        res,
        400,
        CODES.BAD_REQUEST,
        `Not a Crossgate CloudEvent: ${(e as Error).message.slice(0, 300)}`,
      );
    }
    const problem = eventProblem(event, signer, municipalities);
    if (problem) return refuse(res, problem.status, problem.code, problem.message);
    const at = now();
    const taken = await db.transaction(async (tx) => {
      const fresh = await tx
        .insert(receivedEvent)
        .values({ source: sourceOf(event.sender), id: event.id, type: event.kind, receivedAt: at })
        .onConflictDoNothing()
        .returning({ id: receivedEvent.id });
      if (fresh.length === 0) return false;
      if (event.kind === 'used') {
        await tx
          .insert(credentialUser)
          .values({ credentialId: event.data.credentialId, member: event.sender })
          .onConflictDoNothing();
        return true;
      }
      const uses = await tx
        .select()
        .from(credentialUse)
        .where(
          and(
            eq(credentialUse.credentialId, event.data.credentialId),
            eq(credentialUse.municipality, event.recipient),
          ),
        );
      const ids = (kind: 'placement' | 'decision') =>
        uses
          .filter((u) => u.kind === kind)
          .map((u) => u.recordId)
          .sort();
      await tx.insert(credentialAlert).values({
        eventId: event.id,
        municipality: event.recipient,
        issuer: event.sender,
        credentialId: event.data.credentialId,
        status: event.data.status,
        effectiveAt: new Date(event.data.effectiveAt),
        placements: ids('placement'),
        decisions: ids('decision'),
        receivedAt: at,
      });
      return true;
    });
    return sendJson(res, 200, { accepted: event.id, duplicate: !taken });
  };
}
