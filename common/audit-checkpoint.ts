// Audit checkpoints a third party can check: a municipality signs its chain's entry count and head hash,
// the registry countersigns it as a witness; both are compact JWS over Ed25519 member keys.
import type { KeyObject } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import { z } from 'zod';
import type { MemberKey } from './member-keys';

const CHECKPOINT_TYPE = 'crossgate-audit-checkpoint+jws';
const WITNESS_TYPE = 'crossgate-audit-witness+jws';

/** What the owner states about its audit chain at one instant. */
export const CheckpointClaimSchema = z.object({
  /** The municipalities whose accesses the chain holds (one, or a shard's several). */
  members: z.array(z.string().min(1)).min(1),
  /** Entries in the chain (its last seq). */
  entries: z.number().int().min(0),
  /** Hash of entry `entries` (the genesis hash when there are none). */
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** ISO 8601 instant the owner read its chain. */
  at: z.string(),
});
export type CheckpointClaim = z.infer<typeof CheckpointClaimSchema>;

const WitnessSchema = z.object({ checkpoint: z.string(), witnessedAt: z.string() });

/** A checkpoint as the owner keeps it: the claim, and the registry's countersignature over the owner's JWS. */
export interface WitnessedCheckpoint {
  claim: CheckpointClaim;
  witnessedAt: string;
  /** The registry's compact JWS over { checkpoint: <the owner's JWS>, witnessedAt }. */
  witness: string;
}

/** Finds a member's public key by its id, with the members it speaks for and its role. */
export interface PublicKeyHolder {
  publicKey: KeyObject;
  members: readonly string[];
  role: string;
}
export type PublicKeyOf = (kid: string) => PublicKeyHolder | null | Promise<PublicKeyHolder | null>;

function sign(key: MemberKey, typ: string, payload: unknown): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ })
    .sign(key.privateKey);
}

async function open(jws: string, typ: string, keyOf: PublicKeyOf, role: string) {
  let signer: PublicKeyHolder | null = null;
  const { payload } = await compactVerify(jws, async (header) => {
    if (header.alg !== 'EdDSA' || header.typ !== typ || !header.kid)
      throw new Error(`not a ${typ} signed with EdDSA`);
    const found = await keyOf(header.kid);
    signer = found;
    if (!found) throw new Error(`signed by ${header.kid}, a key the directory does not list`);
    if (found.role !== role) throw new Error(`signed by ${header.kid}, which is not a ${role}'s key`);
    return found.publicKey;
  });
  return {
    payload: JSON.parse(new TextDecoder().decode(payload)) as unknown,
    signer: signer as unknown as PublicKeyHolder,
  };
}

/** The owner's signed checkpoint. */
export function signCheckpoint(key: MemberKey, claim: CheckpointClaim): Promise<string> {
  return sign(key, CHECKPOINT_TYPE, CheckpointClaimSchema.parse(claim));
}

/** Checks an owner's checkpoint: signed by a municipality's key that speaks for every member it names. */
export async function openCheckpoint(jws: string, keyOf: PublicKeyOf): Promise<CheckpointClaim> {
  const { payload, signer } = await open(jws, CHECKPOINT_TYPE, keyOf, 'municipality');
  const claim = CheckpointClaimSchema.parse(payload);
  const strangers = claim.members.filter((m) => !signer.members.includes(m));
  if (strangers.length)
    throw new Error(`the checkpoint names ${strangers.join(', ')}, for whom its key does not speak`);
  return claim;
}

/** The registry's countersignature: it saw this checkpoint at `witnessedAt`. */
export function witnessCheckpoint(
  registryKey: MemberKey,
  checkpoint: string,
  witnessedAt: string,
): Promise<string> {
  return sign(registryKey, WITNESS_TYPE, { checkpoint, witnessedAt });
}

/** Checks a witnessed checkpoint end to end: the registry's countersignature and the owner's signature inside it. */
export async function openWitnessed(witness: string, keyOf: PublicKeyOf): Promise<WitnessedCheckpoint> {
  const { payload } = await open(witness, WITNESS_TYPE, keyOf, 'registry');
  const { checkpoint, witnessedAt } = WitnessSchema.parse(payload);
  return { claim: await openCheckpoint(checkpoint, keyOf), witnessedAt, witness };
}
