// A legacy municipality's whole store: reads from its register (only ever read), and the region's
// own records — recognition decisions, appeals, the write log — in a database beside it that the
// municipality keeps too (the same one as its audit log), in the native schema.
import { crossgateError } from '../../../schema/errors';
import type { PgHandle } from '../../common/postgres';
import type { MunicipalStore } from '../store';
import type { RegisterReads } from './adapter';
import { createNativeTables } from './native/seed';
import { createNativeWrites } from './native/writes';

/** Changes to credentials and placements belong to the register's own system. */
function registerOnly(municipality: string, what: string) {
  return () =>
    Promise.reject(
      crossgateError(
        'READ_ONLY_REGISTER',
        `${municipality} keeps its ${what} in its own register, which the region only reads; change them there`,
        { municipality },
      ),
    );
}

export async function withSideRecords(reads: RegisterReads, side: PgHandle): Promise<MunicipalStore> {
  await createNativeTables(side);
  const owner = reads.municipalities.join('+');
  return {
    ...reads,
    ...createNativeWrites(side.db),
    issueCredential: registerOnly(owner, 'credentials'),
    changeCredentialState: registerOnly(owner, 'credentials'),
    registerPlacement: registerOnly(owner, 'placements'),
  };
}
