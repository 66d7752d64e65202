// Runs a governance write once per idempotency key, in one transaction with its entry in the registry's history.
import { eq } from 'drizzle-orm';
import { checkIdempotencyKey, checkStorableText, payloadHash, replay } from '../../../common/idempotency';
import { againOnUniqueViolation } from '../../../common/unique-violation';
import type { Caller } from '../../../schema/caller';
import { registryWrite } from '../db/schema';
import type { RegistryDatabase } from '../store';

export type RegistryTx = Parameters<Parameters<RegistryDatabase['transaction']>[0]>[0];

/** What a write did: the record it changed (the history's key) and the answer a retry gets again. */
export interface WriteOutcome<T> {
  target: string;
  result: T;
}

export type WriteOnce = <T>(
  caller: Caller,
  key: string,
  operation: string,
  payload: Record<string, unknown>,
  reason: string | null | undefined,
  run: (tx: RegistryTx) => Promise<WriteOutcome<T>>,
) => Promise<T>;

/**
 * The same key with the same payload answers the first result and changes nothing; with another
 * payload it is IDEMPOTENCY_CONFLICT. Who, when and why are logged beside the change.
 */
export function createWriteOnce(db: RegistryDatabase, now: () => Date): WriteOnce {
  return async function once(caller, key, operation, payload, reason, run) {
    checkIdempotencyKey(key);
    checkStorableText({ payload, reason });
    const hash = payloadHash(operation, { ...payload, reason: reason ?? null });
    const attempt = () =>
      db.transaction(async (tx) => {
        const [logged] = await tx.select().from(registryWrite).where(eq(registryWrite.idempotencyKey, key));
        if (logged) return replay<Awaited<ReturnType<typeof run>>['result']>(logged, operation, hash);
        const { target, result } = await run(tx);
        await tx.insert(registryWrite).values({
          idempotencyKey: key,
          operation,
          target,
          payloadHash: hash,
          result: result as object,
          actor: caller.subject,
          reason: reason ?? null,
          recordedAt: now().toISOString(),
        });
        return result;
      });
    // A concurrent retry that committed first is answered as that one was.
    return againOnUniqueViolation(attempt);
  };
}
