// The tables of revocation alerts in a municipality's own-records database: the outbox of events to
// send, the uses of other members' credentials, the members using its own, and what it received.
import { bigserial, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Events waiting to be sent, written in the transaction of the write they announce. A row whose
 * target is FAN_OUT is a status change not yet addressed: the dispatcher replaces it by one row per
 * member that used the credential (each its own event id) and marks it done.
 */
export const alertOutbox = pgTable('alert_outbox', {
  id: text('id').primaryKey(),
  sourceMember: text('source_member').notNull(),
  target: text('target').notNull(),
  type: text('type').notNull(),
  subject: text('subject').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull(),
  deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
  lastError: text('last_error'),
});

/** The target of an outbox row still to be addressed to every member that used its credential. */
export const FAN_OUT = '*';

/** This member's placements and decisions on credentials another member issued. */
export const credentialUse = pgTable(
  'credential_use',
  {
    credentialId: text('credential_id').notNull(),
    recordId: text('record_id').notNull(),
    kind: text('kind').$type<'placement' | 'decision'>().notNull(),
    municipality: text('municipality').notNull(),
  },
  (t) => [primaryKey({ columns: [t.credentialId, t.recordId] })],
);

/** Members that told this issuer they recorded a placement or decision on one of its credentials. */
export const credentialUser = pgTable(
  'credential_user',
  {
    credentialId: text('credential_id').notNull(),
    member: text('member').notNull(),
  },
  (t) => [primaryKey({ columns: [t.credentialId, t.member] })],
);

/** Every event taken in, by source and id: a second delivery of one changes nothing. */
export const receivedEvent = pgTable(
  'received_event',
  {
    source: text('source').notNull(),
    id: text('id').notNull(),
    type: text('type').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.id] })],
);

/** An alert shown to the officers of `municipality`: a credential they used changed status. */
export const credentialAlert = pgTable('credential_alert', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  eventId: text('event_id').notNull(),
  municipality: text('municipality').notNull(),
  issuer: text('issuer').notNull(),
  credentialId: text('credential_id').notNull(),
  status: text('status').notNull(),
  effectiveAt: timestamp('effective_at', { withTimezone: true, mode: 'date' }).notNull(),
  placements: jsonb('placements').$type<string[]>().notNull(),
  decisions: jsonb('decisions').$type<string[]>().notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const CREATE_ALERT_TABLES = `
CREATE TABLE IF NOT EXISTS alert_outbox (
  id text COLLATE "C" PRIMARY KEY, source_member text NOT NULL, target text NOT NULL, type text NOT NULL,
  subject text NOT NULL, data jsonb NOT NULL, created_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL,
  delivered_at timestamptz, last_error text);
CREATE INDEX IF NOT EXISTS alert_outbox_due ON alert_outbox (next_attempt_at) WHERE delivered_at IS NULL;
CREATE TABLE IF NOT EXISTS credential_use (
  credential_id text COLLATE "C" NOT NULL, record_id text COLLATE "C" NOT NULL, kind text NOT NULL,
  municipality text NOT NULL, PRIMARY KEY (credential_id, record_id));
CREATE TABLE IF NOT EXISTS credential_user (
  credential_id text COLLATE "C" NOT NULL, member text NOT NULL, PRIMARY KEY (credential_id, member));
CREATE TABLE IF NOT EXISTS received_event (
  source text NOT NULL, id text NOT NULL, type text NOT NULL, received_at timestamptz NOT NULL,
  PRIMARY KEY (source, id));
CREATE TABLE IF NOT EXISTS credential_alert (
  seq bigserial PRIMARY KEY, event_id text NOT NULL, municipality text NOT NULL, issuer text NOT NULL,
  credential_id text NOT NULL, status text NOT NULL, effective_at timestamptz NOT NULL,
  placements jsonb NOT NULL, decisions jsonb NOT NULL, received_at timestamptz NOT NULL);
CREATE INDEX IF NOT EXISTS credential_alert_trail ON credential_alert (municipality, seq);
`;
