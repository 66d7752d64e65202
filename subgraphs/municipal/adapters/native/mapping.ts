// Crossgate's reference schema as a mapping: several municipalities in one set of tables (a
// municipality column each), text ids `C-nnnnnn` / `P-nnnnnn`, the contract's own state words and
// dates, and the region's own records in the same database (writes commit with their log entry).
import { defineMapping } from '../kit/mapping';
import { credential, holder, placement, qualification } from './schema';

export const nativeMapping = defineMapping({
  name: 'native',
  dialect: 'postgresql',
  shared: {
    credential: credential.municipality,
    holder: holder.municipality,
    qualification: qualification.municipality,
    placement: placement.municipality,
  },
  writes: 'transactional',
  // The reference schema keeps such records as they are: the credential is simply expired.
  endBeforeStart: 'kept',
  credential: {
    table: credential,
    id: credential.localId,
    // Joined on (municipality, local id), so a credential naming a missing record fails alone.
    holder: { column: credential.holderLocalId, refers: holder.localId },
    qualification: { column: credential.qualificationLocalId, refers: qualification.localId },
    state: {
      column: credential.status,
      codes: { ACTIVE: 'ACTIVE', SUSPENDED: 'SUSPENDED', REVOKED: 'REVOKED' },
    },
    validFrom: { column: credential.validFrom, format: 'date' },
    validUntil: { column: credential.validUntil, format: 'date', none: 'NULL: no expiry' },
    verificationHash: credential.verificationHash,
    allocate: { kind: 'max-plus-one', prefix: 'C-', width: 6 },
  },
  holder: {
    table: holder,
    id: holder.localId,
    displayName: holder.displayName,
    regionalHolderId: holder.regionalHolderId,
  },
  qualification: {
    table: qualification,
    id: qualification.localId,
    code: qualification.code,
    title: qualification.title,
    eqfLevel: qualification.eqfLevel,
    iscoCode: qualification.iscoCode,
  },
  placement: {
    table: placement,
    id: placement.localId,
    credential: placement.credentialId,
    employer: placement.employer,
    iscoCode: placement.iscoCode,
    startDate: { column: placement.startDate, format: 'date' },
    endDate: { column: placement.endDate, format: 'date', none: 'NULL: still employed' },
    allocate: { kind: 'max-plus-one', prefix: 'P-', width: 6 },
  },
});
