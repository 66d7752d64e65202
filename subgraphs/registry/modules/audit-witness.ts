// The registry as witness of members' audit chains: it checks a municipality's signed checkpoint,
// refuses one that goes back on a checkpoint it already witnessed, countersigns and keeps it.
import { and, desc, eq } from 'drizzle-orm';
import {
  type CheckpointClaim,
  openCheckpoint,
  type PublicKeyOf,
  witnessCheckpoint,
} from '../../../common/audit-checkpoint';
import type { MemberKey } from '../../../common/member-keys';
import { auditWitness } from '../db/schema';
import type { RegistryDatabase } from '../store';

export type WitnessOutcome = { ok: true; witness: string } | { ok: false; problem: string };

export function createAuditWitness(db: RegistryDatabase, now: () => Date) {
  return {
    /** Witnesses `checkpoint`, sent by a member whose call was signed for `callers`. */
    async witness(
      checkpoint: string,
      callers: readonly string[],
      keyOf: PublicKeyOf,
      registryKey: MemberKey,
    ): Promise<WitnessOutcome> {
      let claim: CheckpointClaim;
      try {
        claim = await openCheckpoint(checkpoint, keyOf);
      } catch (e) {
        return { ok: false, problem: `the checkpoint does not verify: ${(e as Error).message}` };
      }
      const strangers = claim.members.filter((m) => !callers.includes(m));
      if (strangers.length)
        return { ok: false, problem: `a member witnesses only its own chain; not ${strangers.join(', ')}` };
      const chain = [...claim.members].sort().join('+');
      const [last] = await db
        .select()
        .from(auditWitness)
        .where(eq(auditWitness.chain, chain))
        .orderBy(desc(auditWitness.entries))
        .limit(1);
      if (last && claim.entries < last.entries)
        return {
          ok: false,
          problem: `the chain had ${last.entries} entries at a checkpoint witnessed at ${last.witnessedAt.toISOString()}; it now claims ${claim.entries}`,
        };
      const [same] = await db
        .select()
        .from(auditWitness)
        .where(and(eq(auditWitness.chain, chain), eq(auditWitness.entries, claim.entries)));
      if (same && same.headHash !== claim.headHash)
        return {
          ok: false,
          problem: `entry ${claim.entries} had another hash at a checkpoint witnessed at ${same.witnessedAt.toISOString()}`,
        };
      if (same) return { ok: true, witness: same.witness };
      const at = now();
      const witness = await witnessCheckpoint(registryKey, checkpoint, at.toISOString());
      await db
        .insert(auditWitness)
        .values({
          chain,
          entries: claim.entries,
          headHash: claim.headHash,
          claimedAt: claim.at,
          witnessedAt: at,
          witness,
        })
        .onConflictDoNothing();
      return { ok: true, witness };
    },
    /** Every checkpoint witnessed for the chains holding a municipality's accesses, oldest first. */
    async witnessed(municipality: string): Promise<string[]> {
      const rows = await db
        .select({ chain: auditWitness.chain, witness: auditWitness.witness })
        .from(auditWitness)
        .orderBy(auditWitness.chain, auditWitness.entries);
      return rows.filter((r) => r.chain.split('+').includes(municipality)).map((r) => r.witness);
    },
  };
}

export type AuditWitness = ReturnType<typeof createAuditWitness>;
