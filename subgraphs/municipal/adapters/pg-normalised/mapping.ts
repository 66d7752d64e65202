// Northbank's normalised register in the contract's shapes: a code list of states, typed dates,
// names split in two, `C-nnnnnn` / `P-nnnnnn` ids one above the highest.
import { nameInTwoColumns } from '../kit/fields';
import { defineMapping } from '../kit/mapping';
import { certificate, employment, person, trainingProgramme } from './schema';

export const STATE_CODES = { ACTIVE: 1, SUSPENDED: 2, REVOKED: 3 } as const;

export const pgNormalisedMapping = defineMapping({
  name: 'pg-normalised',
  dialect: 'postgresql',
  credential: {
    table: certificate,
    id: certificate.certificateNo,
    holder: { column: certificate.personRef, refers: person.personRef },
    qualification: { column: certificate.programmeRef, refers: trainingProgramme.programmeRef },
    state: { column: certificate.stateCode, codes: STATE_CODES },
    validFrom: { column: certificate.issuedOn, format: 'date' },
    validUntil: { column: certificate.expiresOn, format: 'date', none: 'NULL: no expiry' },
    verificationHash: certificate.verificationDigest,
    allocate: { kind: 'max-plus-one', prefix: 'C-', width: 6 },
  },
  holder: {
    table: person,
    id: person.personRef,
    displayName: nameInTwoColumns(person.givenName, person.familyName),
    regionalHolderId: person.regionalHolderId,
  },
  qualification: {
    table: trainingProgramme,
    id: trainingProgramme.programmeRef,
    code: trainingProgramme.programmeCode,
    title: trainingProgramme.title,
    eqfLevel: trainingProgramme.eqfLevel,
    iscoCode: trainingProgramme.isco08,
  },
  placement: {
    table: employment,
    id: employment.employmentNo,
    credential: employment.certificateRef,
    employer: employment.employerName,
    iscoCode: employment.isco08,
    startDate: { column: employment.startedOn, format: 'date' },
    endDate: { column: employment.endedOn, format: 'date', none: 'NULL: still employed' },
    allocate: { kind: 'max-plus-one', prefix: 'P-', width: 6 },
  },
});
