// Lakeside's wide MariaDB register in the contract's shapes: one-letter states, DD.MM.YYYY text
// dates (empty for none), holders kept on each register row, qualifications through a lookup table.
import { defineMapping } from '../kit/mapping';
import { employment, occLookup, register } from './schema';

export const STATUS_LETTERS = { ACTIVE: 'A', SUSPENDED: 'S', REVOKED: 'R' } as const;

export const mariadbRegisterMapping = defineMapping({
  name: 'mariadb-register',
  dialect: 'mysql',
  credential: {
    table: register,
    id: register.CERT_NO,
    holder: { column: register.PERS_NO },
    qualification: {
      column: register.OCC_CODE,
      refers: occLookup.OCC_CODE,
      id: occLookup.QUAL_NO,
      // The register's own occupation numbering: BG and the qualification number's digits.
      newKey: (id: string) => `BG${id.replace(/\D/g, '')}`,
    },
    state: { column: register.STAT, codes: STATUS_LETTERS },
    validFrom: { column: register.VALID_FROM, format: 'dotted' },
    validUntil: {
      column: register.VALID_TO,
      format: 'dotted',
      none: 'NULL or empty: no expiry',
      empty: [''],
      writeNone: '',
    },
    verificationHash: register.VERIF_HASH,
    allocate: { kind: 'max-plus-one', prefix: 'C-', width: 6 },
    // The holder's name and regional id are copied onto every row; the clerk signs the row.
    extra: ({ holder, clerk }) => ({
      PERS_NAME: holder.displayName,
      PERS_RHID: holder.regionalHolderId,
      CLERK: clerk.slice(0, 40),
    }),
  },
  holder: {
    table: register,
    id: register.PERS_NO,
    displayName: register.PERS_NAME,
    regionalHolderId: register.PERS_RHID,
    onCredentialRows: true,
  },
  qualification: {
    table: occLookup,
    id: occLookup.QUAL_NO,
    code: occLookup.QUAL_CODE,
    title: occLookup.QUAL_TITLE,
    eqfLevel: occLookup.EQF,
    iscoCode: occLookup.ISCO08,
  },
  placement: {
    table: employment,
    id: employment.EMP_NO,
    credential: employment.CERT_REF,
    employer: employment.EMPLOYER,
    iscoCode: employment.ISCO08,
    startDate: { column: employment.START_DT, format: 'dotted' },
    endDate: {
      column: employment.END_DT,
      format: 'dotted',
      none: 'NULL or empty: still employed',
      empty: [''],
    },
    allocate: { kind: 'max-plus-one', prefix: 'P-', width: 6 },
  },
});
