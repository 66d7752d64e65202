// Southbank's SQLite register in the contract's shapes: camelCase columns, epoch-second dates, word
// statuses, and each programme's ISCO code and EQF level inside a JSON column of competencies.
import { defineMapping, type Unreadable } from '../kit/mapping';
import { credentials, holders, placements, programmes } from './schema';

export const STATUSES = { ACTIVE: 'active', SUSPENDED: 'suspended', REVOKED: 'revoked' } as const;

/** Reads the competencies JSON: its 4-digit ISCO-08 code and EQF level 1 to 8, or why it cannot. */
function competencies(json: unknown): { isco08: string; eqf: number | null } | Unreadable {
  let value: { isco08?: unknown; eqf?: unknown } | null;
  try {
    value = JSON.parse(String(json));
  } catch {
    return { unreadable: 'competencies are not valid JSON' };
  }
  if (typeof value?.isco08 !== 'string' || !/^\d{4}$/.test(value.isco08))
    return { unreadable: 'competencies name no 4-digit ISCO-08 code' };
  const eqf = value.eqf ?? null;
  if (eqf !== null && !(Number.isInteger(eqf) && (eqf as number) >= 1 && (eqf as number) <= 8))
    return { unreadable: `EQF level ${JSON.stringify(eqf)} is not 1 to 8` };
  return { isco08: value.isco08, eqf: eqf as number | null };
}
const part =
  <K extends 'isco08' | 'eqf'>(key: K) =>
  (json: unknown) => {
    const read = competencies(json);
    return 'unreadable' in read ? read : read[key];
  };

/** The competencies JSON of a qualification: its ISCO-08 code, EQF level and two units. */
const competenciesOf = (q: { code: string; iscoCode: string | null; eqfLevel: number | null }) =>
  JSON.stringify({ isco08: q.iscoCode, eqf: q.eqfLevel, units: [`${q.code}-U1`, `${q.code}-U2`] });

export const sqliteCamelMapping = defineMapping({
  name: 'sqlite-camel',
  dialect: 'sqlite',
  credential: {
    table: credentials,
    id: credentials.credentialId,
    holder: { column: credentials.holderId, refers: holders.holderId },
    qualification: { column: credentials.programmeId, refers: programmes.programmeId },
    state: { column: credentials.status, codes: STATUSES },
    validFrom: { column: credentials.validFrom, format: 'epoch-seconds' },
    validUntil: { column: credentials.validUntil, format: 'epoch-seconds', none: 'NULL: no expiry' },
    verificationHash: credentials.verificationHash,
    allocate: { kind: 'max-plus-one', prefix: 'C-', width: 6 },
  },
  holder: {
    table: holders,
    id: holders.holderId,
    displayName: holders.fullName,
    regionalHolderId: holders.regionalHolderId,
  },
  qualification: {
    table: programmes,
    id: programmes.programmeId,
    code: programmes.programmeCode,
    title: programmes.programmeTitle,
    eqfLevel: { column: programmes.competencies, read: part('eqf'), write: competenciesOf },
    iscoCode: { column: programmes.competencies, read: part('isco08'), write: competenciesOf },
  },
  placement: {
    table: placements,
    id: placements.placementId,
    credential: placements.credentialRef,
    employer: placements.employerName,
    iscoCode: placements.iscoCode,
    startDate: { column: placements.startedAt, format: 'epoch-seconds' },
    endDate: { column: placements.endedAt, format: 'epoch-seconds', none: 'NULL: still employed' },
    allocate: { kind: 'max-plus-one', prefix: 'P-', width: 6 },
  },
});
