// Writes one municipality's share of a generated region into the normalised PostgreSQL register.

import type { PgHandle } from '../../../../common/postgres';
import type { RegionData } from '../../../../common/region-records';
import { recordsOf, verificationHash } from '../../../../common/region-records';
import { STATE_CODES } from './mapping';
import { certificate, certificateState, employment, person, trainingProgramme } from './schema';

/** Key columns in the "C" collation, so SQL orders them by code unit as the gateway merges. */
export const CREATE_TABLES = `
CREATE TABLE IF NOT EXISTS certificate_state (state_code smallint PRIMARY KEY, label text NOT NULL);
CREATE TABLE IF NOT EXISTS training_programme (
  programme_ref text COLLATE "C" PRIMARY KEY, programme_code text NOT NULL, title text NOT NULL,
  eqf_level integer, isco08 char(4));
CREATE TABLE IF NOT EXISTS person (
  person_ref text COLLATE "C" PRIMARY KEY, given_name text NOT NULL, family_name text NOT NULL,
  regional_holder_id text COLLATE "C" NOT NULL);
CREATE INDEX IF NOT EXISTS person_regional_holder_id_idx ON person (regional_holder_id);
CREATE TABLE IF NOT EXISTS certificate (
  certificate_no text COLLATE "C" PRIMARY KEY, person_ref text COLLATE "C" NOT NULL,
  programme_ref text COLLATE "C" NOT NULL, state_code smallint NOT NULL,
  issued_on date NOT NULL, expires_on date, verification_digest text);
CREATE INDEX IF NOT EXISTS certificate_issued_idx ON certificate (issued_on, certificate_no);
CREATE INDEX IF NOT EXISTS certificate_person_idx ON certificate (person_ref, issued_on, certificate_no);
CREATE TABLE IF NOT EXISTS employment (
  employment_no text COLLATE "C" PRIMARY KEY, certificate_ref text COLLATE "C" NOT NULL,
  isco08 char(4) NOT NULL, employer_name text NOT NULL, started_on date NOT NULL, ended_on date);
CREATE INDEX IF NOT EXISTS employment_started_idx ON employment (started_on, employment_no);
`;

const CHUNK = 500;
async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

function splitName(displayName: string): { givenName: string; familyName: string } {
  const at = displayName.indexOf(' ');
  return at < 0
    ? { givenName: displayName, familyName: '' }
    : { givenName: displayName.slice(0, at), familyName: displayName.slice(at + 1) };
}

export async function seedPgNormalised(handle: PgHandle, region: RegionData, code: string): Promise<boolean> {
  await handle.exec(CREATE_TABLES);
  const { db } = handle;
  if ((await db.select().from(certificateState).limit(1)).length > 0) return false;
  const r = recordsOf(region, [code]);
  await db.insert(certificateState).values([
    { stateCode: STATE_CODES.ACTIVE, label: 'valid' },
    { stateCode: STATE_CODES.SUSPENDED, label: 'suspended' },
    { stateCode: STATE_CODES.REVOKED, label: 'withdrawn' },
  ]);
  await inChunks(r.qualifications, (c) =>
    db.insert(trainingProgramme).values(
      c.map((q) => ({
        programmeRef: q.localId,
        programmeCode: q.code,
        title: q.title,
        eqfLevel: q.eqfLevel,
        isco08: q.iscoCode,
      })),
    ),
  );
  await inChunks(r.holders, (c) =>
    db.insert(person).values(
      c.map((h) => ({
        personRef: h.localId,
        ...splitName(h.displayName),
        regionalHolderId: h.regionalHolderId,
      })),
    ),
  );
  await inChunks(r.credentials, (c) =>
    db.insert(certificate).values(
      c.map((x) => ({
        certificateNo: x.localId,
        personRef: x.holderLocalId,
        programmeRef: x.qualificationLocalId,
        stateCode: STATE_CODES[x.status],
        issuedOn: x.validFrom,
        expiresOn: x.validUntil,
        verificationDigest: verificationHash(x.verificationCode),
      })),
    ),
  );
  await inChunks(r.placements, (c) =>
    db.insert(employment).values(
      c.map((p) => ({
        employmentNo: p.localId,
        certificateRef: p.credentialId,
        isco08: p.iscoCode,
        employerName: p.employer,
        startedOn: p.startDate,
        endedOn: p.endDate,
      })),
    ),
  );
  return true;
}
