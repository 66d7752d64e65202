// Credential and placement writes of a register that holds the region's own records too (a mapping
// with `writes: 'transactional'`): the change, its write-log entry and alerts in one transaction.
import { sql } from 'drizzle-orm';
import { crossgateError } from '../../../../schema/errors';
import { globalId } from '../../../../schema/ids';
import { type MunicipalStore, nextCredentialState } from '../../store';
import type { NativeDatabase } from '../native/database';
import { localIdIn, notFound, type OwnRecordsTx, writeOnce } from '../own-records';
import type { RegisterMapping } from './mapping';
import { createMappedReads } from './reads';
import { createMappedWriter } from './writes';

type RegisterWrites = Pick<MunicipalStore, 'issueCredential' | 'changeCredentialState' | 'registerPlacement'>;

const noClose = async () => {};
const written = <T>(found: T | Error | null | undefined, id: string): T => {
  if (!found) throw crossgateError('INTERNAL_SERVER_ERROR', `The register did not keep ${id}`);
  if (found instanceof Error) throw found;
  return found;
};

export function createTransactionalWrites(
  m: RegisterMapping,
  db: NativeDatabase,
  codes: readonly string[],
): RegisterWrites {
  if (m.dialect !== 'postgresql') throw new Error(`${m.name}: transactional writes need PostgreSQL`);
  const once = writeOnce(db);

  /** The register's reads and municipality `code`'s writer inside `tx`, its writes serialised per municipality. */
  async function inside(tx: OwnRecordsTx, code: string) {
    if (!codes.includes(code)) throw notFound(code);
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`crossgate-register-${code}`}))`);
    const reads = createMappedReads(m, tx, codes, noClose);
    return { reads, writer: createMappedWriter(m, tx, reads, code) };
  }

  return {
    issueCredential: (input, log) =>
      once(log, async (tx) => {
        const code = input.municipality;
        localIdIn(input.holderId, code);
        localIdIn(input.qualificationId, code);
        const { reads, writer } = await inside(tx, code);
        const [q] = await reads.qualificationsByIds([input.qualificationId]);
        if (!q) throw notFound(input.qualificationId);
        const localId = await writer.allocateLocalId('credential', input.validFrom, []);
        const id = globalId(code, localId);
        if (!(await writer.insertCredential(localId, input, log.actor)))
          throw crossgateError('INTERNAL_SERVER_ERROR', `The register took ${id} under the write`);
        const [found] = await reads.credentialsByIds([id]);
        return { target: id, result: written(found, id) };
      }),

    changeCredentialState: (id, action, log) =>
      once(log, async (tx) => {
        const localId = localIdIn(id, log.municipality);
        const { reads, writer } = await inside(tx, log.municipality);
        const [current] = await reads.credentialsByIds([id]);
        if (!current) throw notFound(id);
        if (current instanceof Error) throw current;
        const next = nextCredentialState(current.state, action);
        if (!next || !(await writer.setCredentialState(localId, current.state, next)))
          throw crossgateError(
            'INVALID_TRANSITION',
            `Cannot ${action} a credential that is ${current.state}`,
            {
              recordId: id,
            },
          );
        const [found] = await reads.credentialsByIds([id]);
        return { target: id, result: written(found, id) };
      }),

    registerPlacement: (input, log) =>
      once(log, async (tx) => {
        const code = input.municipality;
        const { reads, writer } = await inside(tx, code);
        const localId = await writer.allocateLocalId('placement', input.startDate, []);
        const id = globalId(code, localId);
        if (!(await writer.insertPlacement(localId, input)))
          throw crossgateError('INTERNAL_SERVER_ERROR', `The register took ${id} under the write`);
        const [found] = await reads.placementsByIds([id]);
        return { target: id, result: written(found, id) };
      }),
  };
}
