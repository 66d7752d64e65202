// Holds an audit chain to the checkpoints the registry witnessed: a chain its owner cut short, or
// rewrote (even with every hash recomputed), after a witnessed checkpoint no longer matches it.
import type { CheckpointClaim } from '../../../common/audit-checkpoint';
import { type AuditEntry, GENESIS_HASH } from './chain';

export interface WitnessedClaim {
  claim: CheckpointClaim;
  witnessedAt: string;
}

export type CheckpointFinding =
  | { kind: 'cut-short'; checkpoint: WitnessedClaim; entries: number }
  | { kind: 'rewritten'; checkpoint: WitnessedClaim; found: string | null };

/** Every witnessed checkpoint the chain (entries in seq order) no longer matches, oldest first. */
export function checkAgainstCheckpoints(
  entries: readonly AuditEntry[],
  checkpoints: readonly WitnessedClaim[],
): CheckpointFinding[] {
  const bySeq = new Map(entries.map((e) => [e.seq, e.hash]));
  const length = entries.length === 0 ? 0 : Math.max(...entries.map((e) => e.seq));
  const findings: CheckpointFinding[] = [];
  for (const checkpoint of [...checkpoints].sort((a, b) => a.claim.entries - b.claim.entries)) {
    const { entries: count, headHash } = checkpoint.claim;
    if (count > length) {
      findings.push({ kind: 'cut-short', checkpoint, entries: length });
      continue;
    }
    const found = count === 0 ? GENESIS_HASH : (bySeq.get(count) ?? null);
    if (found !== headHash) findings.push({ kind: 'rewritten', checkpoint, found });
  }
  return findings;
}

/** One sentence naming what a finding shows. */
export function describeFinding(f: CheckpointFinding): string {
  const { entries: count } = f.checkpoint.claim;
  const when = `witnessed by the registry at ${f.checkpoint.witnessedAt}`;
  return f.kind === 'cut-short'
    ? `entries after entry ${f.entries} were removed: the chain has ${f.entries} entries, the checkpoint ${when} counted ${count}`
    : `history rewritten: entry ${count} ${f.found === null ? 'is missing' : 'has another hash'} than at the checkpoint ${when} (${f.checkpoint.claim.headHash.slice(0, 12)}…)`;
}
