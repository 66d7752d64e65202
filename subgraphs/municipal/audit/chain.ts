// The owner-side audit log: entry shapes, the hash chain that makes edits evident, and its verifier.
import { createHash } from 'node:crypto';
import type { Role } from '../../../schema/caller';

export type AccessDecision = 'allowed' | 'denied';

/** One access to this municipality's records, as the owner saw it. */
export interface AuditEntryInput {
  /** ISO 8601 instant. */
  at: string;
  /** The municipality whose records were accessed. */
  municipality: string;
  requestId: string;
  subject: string;
  role: Role;
  /** The caller's home municipality; null for regional roles. */
  home: string | null;
  purpose: string | null;
  /** e.g. "credentials: query RegionalCredentials". */
  operation: string;
  fields: string[];
  recordIds: string[];
  decision: AccessDecision;
  reason: string | null;
}

export interface AuditEntry extends AuditEntryInput {
  seq: number;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export function entryHash(prevHash: string, seq: number, e: AuditEntryInput): string {
  const canonical = JSON.stringify([
    seq,
    e.at,
    e.municipality,
    e.requestId,
    e.subject,
    e.role,
    e.home,
    e.purpose,
    e.operation,
    e.fields,
    e.recordIds,
    e.decision,
    e.reason,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

export function chainEntry(prev: { seq: number; hash: string } | null, input: AuditEntryInput): AuditEntry {
  const seq = (prev?.seq ?? 0) + 1;
  const prevHash = prev?.hash ?? GENESIS_HASH;
  return { ...input, seq, prevHash, hash: entryHash(prevHash, seq, input) };
}

export type ChainVerdict =
  | { ok: true; entries: number }
  | { ok: false; seq: number; problem: 'content-changed' | 'link-broken' | 'gap' };

/** Walks entries in seq order; the first entry whose content, link or numbering does not hold is named. */
export function verifyChain(entries: Iterable<AuditEntry>): ChainVerdict {
  let prev: { seq: number; hash: string } | null = null;
  let count = 0;
  for (const e of entries) {
    if (e.seq !== (prev?.seq ?? 0) + 1) return { ok: false, seq: e.seq, problem: 'gap' };
    if (e.prevHash !== (prev?.hash ?? GENESIS_HASH)) return { ok: false, seq: e.seq, problem: 'link-broken' };
    if (entryHash(e.prevHash, e.seq, e) !== e.hash)
      return { ok: false, seq: e.seq, problem: 'content-changed' };
    prev = e;
    count++;
  }
  return { ok: true, entries: count };
}

/**
 * Where a municipality keeps its audit log; each dialect's adapter implements it over its own
 * database. `append` must extend the chain atomically even when several replicas write.
 */
export interface AuditStore {
  append(entries: readonly AuditEntryInput[]): Promise<void>;
  /** Newest first, for one municipality, entries with seq below `before` when given. */
  trail(query: { municipality: string; first: number; before: number | null }): Promise<AuditEntry[]>;
  /** Every entry in seq order (for verification). */
  readAll(): Promise<AuditEntry[]>;
  /** The other municipalities whose officers were allowed to read `recordId` of `municipality`. */
  readersOf(municipality: string, recordId: string): Promise<string[]>;
  /** The chain's last entry, null when it is empty; a store without it is not checkpointed. */
  head?(): Promise<{ seq: number; hash: string } | null>;
  /** Keeps a checkpoint of the chain that the registry witnessed (its countersigned JWS). */
  keepWitnessed?(checkpoint: { entries: number; headHash: string; witness: string }): Promise<void>;
  /** The witnessed checkpoints kept, oldest first. */
  witnessed?(): Promise<string[]>;
}
