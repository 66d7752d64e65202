// A legacy municipality's whole store: reads from its register, credential and placement writes into
// it in its own shape (register-writes-across-databases.ts), and the region's own records — recognition decisions,
// appeals, the write log — in a database beside it that the municipality keeps too (the same one as
// its audit log), in the native schema.
import type { PgHandle } from '../../../common/postgres';
import type { MunicipalStore } from '../store';
import type { Register } from './adapter';
import { createNativeTables } from './native/seed';
import { createOwnRecords } from './own-records';
import { createRegisterWrites, type WriteFaults } from './register-writes-across-databases';

export async function withSideRecords(
  register: Register,
  side: PgHandle,
  faults: WriteFaults = {},
): Promise<MunicipalStore> {
  await createNativeTables(side);
  const { writer, ...reads } = register;
  const { recoverPending, ...registerWrites } = await createRegisterWrites(reads, writer, side, faults);
  await recoverPending();
  return {
    ...reads,
    ...createOwnRecords(side.db),
    ...registerWrites,
    async close() {
      await writer.close();
      await reads.close();
    },
  };
}
