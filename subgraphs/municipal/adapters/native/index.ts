// The native adapter: the reference schema's mapping, read and written through the kit like any
// register, plus what only the native schema offers: a verification in one statement and the
// recognition breakdown of flows joined in SQL. Its writes commit with their log entry (`transactional`).
import type { PgHandle } from '../../../../common/postgres';
import type { MunicipalStore } from '../../store';
import { mappedAdapter } from '../kit/adapter';
import { createMappedReads } from '../kit/reads';
import { createTransactionalWrites } from '../kit/transactional-writes';
import { assertMappingFits } from '../kit/validate';
import { createOwnRecords } from '../own-records';
import { createNativeFlowRecognition } from './flow-uses';
import { nativeMapping } from './mapping';
import { NATIVE_TABLES } from './schema';
import { createNativeVerificationRead } from './verification';

/** One municipality's native register opened on its own, as the behaviour suite opens any adapter. */
export const nativeAdapter = mappedAdapter(nativeMapping, { tables: NATIVE_TABLES });

/**
 * The store of the municipalities `codes` over an open native database (created and seeded by
 * native/seed.ts), which also holds their decisions, appeals and write log.
 */
export async function openNativeStore(handle: PgHandle, codes: readonly string[]): Promise<MunicipalStore> {
  await assertMappingFits(nativeMapping, handle.db);
  return {
    ...createMappedReads(nativeMapping, handle.db, codes, async () => {}),
    verificationsByIds: createNativeVerificationRead(handle.db),
    ...createNativeFlowRecognition(handle.db, codes),
    ...createOwnRecords(handle.db),
    ...createTransactionalWrites(nativeMapping, handle.db, codes),
  };
}
