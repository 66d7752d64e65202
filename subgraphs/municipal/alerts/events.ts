// The CloudEvents 1.0 messages members send each other about credentials, in structured JSON mode:
// a status change (issuer → users) and a use (a member that placed or decided on it → the issuer).
import { CloudEvent, HTTP } from 'cloudevents';
import { z } from 'zod';
import { RECORDED_STATUSES } from '../../../schema/credential-status';

export const EVENT_TYPES = {
  statusChanged: 'org.crossgate.credential.status-changed.v1',
  used: 'org.crossgate.credential.used.v1',
} as const;

export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

/** The source of every event a member sends: its URN, named by municipality code. */
export const sourceOf = (member: string) => `urn:crossgate:member:${member}`;
const SOURCE = /^urn:crossgate:member:([A-Z]{2,8})$/;

const StatusChangedData = z.object({
  credentialId: z.string().min(3).max(200),
  status: z.enum(RECORDED_STATUSES as ['ACTIVE', 'SUSPENDED', 'REVOKED']),
  /** When the change took effect, ISO 8601 instant. */
  effectiveAt: z.iso.datetime({ offset: true }),
});

const UsedData = z.object({
  credentialId: z.string().min(3).max(200),
  kind: z.enum(['placement', 'decision']),
});

export type StatusChanged = z.infer<typeof StatusChangedData>;
export type Used = z.infer<typeof UsedData>;

/** One event as the outbox keeps it. */
export interface OutgoingEvent {
  id: string;
  source: string;
  /** The member the event is addressed to (a CloudEvents extension attribute). */
  recipient: string;
  type: string;
  subject: string;
  time: string;
  data: Record<string, unknown>;
}

/** An event's HTTP message in structured mode: a JSON body and its media type. */
export function structuredMessage(event: OutgoingEvent): { body: string; contentType: string } {
  const message = HTTP.structured(
    new CloudEvent({
      specversion: '1.0',
      id: event.id,
      source: event.source,
      type: event.type,
      subject: event.subject,
      time: event.time,
      datacontenttype: 'application/json',
      recipient: event.recipient,
      data: event.data,
    }),
  );
  return { body: String(message.body), contentType: String(message.headers['content-type']) };
}

export type ReceivedEvent =
  | { kind: 'status-changed'; id: string; sender: string; recipient: string; data: StatusChanged }
  | { kind: 'used'; id: string; sender: string; recipient: string; data: Used };

/** Reads a structured-mode CloudEvent; throws with what was wrong when it is not one of ours. */
export function parseEvent(contentType: string, body: string): ReceivedEvent {
  if (!contentType.startsWith('application/cloudevents+json')) {
    throw new Error(`expected application/cloudevents+json; received ${contentType.slice(0, 60) || 'none'}`);
  }
  const parsed = HTTP.toEvent({ headers: { 'content-type': contentType }, body });
  if (Array.isArray(parsed)) throw new Error('expected one event, not a batch');
  const event = parsed as CloudEvent<unknown>;
  event.validate();
  const sender = SOURCE.exec(event.source)?.[1];
  if (!sender) throw new Error(`source must be urn:crossgate:member:<CODE>; received ${event.source}`);
  const recipient = String(event.recipient ?? '');
  if (!/^[A-Z]{2,8}$/.test(recipient)) throw new Error('recipient must name a municipality code');
  const data = typeof event.data === 'string' ? JSON.parse(event.data) : event.data;
  if (event.type === EVENT_TYPES.statusChanged) {
    return { kind: 'status-changed', id: event.id, sender, recipient, data: StatusChangedData.parse(data) };
  }
  if (event.type === EVENT_TYPES.used) {
    return { kind: 'used', id: event.id, sender, recipient, data: UsedData.parse(data) };
  }
  throw new Error(`unknown event type ${event.type.slice(0, 80)}`);
}
