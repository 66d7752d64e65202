// Writes one municipality's share of a generated region into the wide MariaDB register.
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { RegionData } from '../../../../common/region-records';
import { recordsOf, verificationHash } from '../../../../common/region-records';
import { dottedFromIso } from '../register-keys-and-dates';
import { STATUS_LETTERS } from './mapping';
import { employment, occLookup, register } from './schema';

/** Ids in a binary collation, so SQL orders them by code unit as the gateway merges. */
export const CREATE_TABLES = [
  `CREATE TABLE IF NOT EXISTS OCC_LOOKUP (
    OCC_CODE VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    QUAL_NO VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    QUAL_CODE VARCHAR(32) NOT NULL, QUAL_TITLE VARCHAR(200) NOT NULL, ISCO08 CHAR(4), EQF TINYINT,
    UNIQUE KEY OCC_QUAL (QUAL_NO)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `CREATE TABLE IF NOT EXISTS REGISTER (
    CERT_NO VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    PERS_NO VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PERS_NAME VARCHAR(120) NOT NULL,
    PERS_RHID VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    OCC_CODE VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    STAT CHAR(1) NOT NULL, VALID_FROM CHAR(10) NOT NULL, VALID_TO CHAR(10), VERIF_HASH CHAR(64),
    BRANCH VARCHAR(40), CLERK VARCHAR(40), FEE_PAID CHAR(1), REMARKS VARCHAR(400),
    KEY REG_PERS (PERS_NO), KEY REG_RHID (PERS_RHID)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `CREATE TABLE IF NOT EXISTS EMPLOYMENT (
    EMP_NO VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    CERT_REF VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    ISCO08 CHAR(4) NOT NULL, EMPLOYER VARCHAR(120) NOT NULL,
    START_DT CHAR(10) NOT NULL, END_DT CHAR(10)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
];

/** The register's local occupation code for a qualification (its own numbering, not ISCO). */
export const occupationCodeOf = (qualificationLocalId: string) =>
  `BG${qualificationLocalId.replace(/\D/g, '')}`;

const CHUNK = 500;
async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

// biome-ignore lint/suspicious/noExplicitAny: any schema; the tables are imported directly.
export async function seedMariadbRegister(db: MySql2Database<any>, region: RegionData, code: string) {
  if ((await db.select().from(occLookup).limit(1)).length > 0) return false;
  const r = recordsOf(region, [code]);
  const names = new Map(r.holders.map((h) => [h.localId, h]));
  await db.insert(occLookup).values(
    r.qualifications.map((q) => ({
      OCC_CODE: occupationCodeOf(q.localId),
      QUAL_NO: q.localId,
      QUAL_CODE: q.code,
      QUAL_TITLE: q.title,
      ISCO08: q.iscoCode,
      EQF: q.eqfLevel,
    })),
  );
  await inChunks(r.credentials, (c) =>
    db.insert(register).values(
      c.map((x) => ({
        CERT_NO: x.localId,
        PERS_NO: x.holderLocalId,
        PERS_NAME: names.get(x.holderLocalId)?.displayName ?? '',
        PERS_RHID: names.get(x.holderLocalId)?.regionalHolderId ?? '',
        OCC_CODE: occupationCodeOf(x.qualificationLocalId),
        STAT: STATUS_LETTERS[x.status],
        VALID_FROM: dottedFromIso(x.validFrom),
        VALID_TO: x.validUntil === null ? '' : dottedFromIso(x.validUntil),
        VERIF_HASH: verificationHash(x.verificationCode),
        BRANCH: 'Main office',
        FEE_PAID: 'J',
      })),
    ),
  );
  await inChunks(r.placements, (c) =>
    db.insert(employment).values(
      c.map((p) => ({
        EMP_NO: p.localId,
        CERT_REF: p.credentialId,
        ISCO08: p.iscoCode,
        EMPLOYER: p.employer,
        START_DT: dottedFromIso(p.startDate),
        END_DT: p.endDate === null ? null : dottedFromIso(p.endDate),
      })),
    ),
  );
  return true;
}
