// Writes a generated region's records into the reference schema.

import type { PgHandle } from '../../../../common/postgres';
import type { RegionData } from '../../../../common/region-records';
import { recordsOf, verificationHash } from '../../../../common/region-records';
import { CREATE_ALERT_TABLES } from '../../alerts/tables';
import { CREATE_TABLES, credential, holder, placement, qualification } from './schema';

const CHUNK = 500;

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

export async function createNativeTables(handle: PgHandle) {
  await handle.exec(CREATE_TABLES);
  await handle.exec(CREATE_ALERT_TABLES);
}

/** True when the database already holds records (a restart keeps its data). */
export async function isSeeded(handle: PgHandle): Promise<boolean> {
  const rows = await handle.db.select({ m: qualification.municipality }).from(qualification).limit(1);
  return rows.length > 0;
}

export async function seedNative(handle: PgHandle, region: RegionData, codes: readonly string[]) {
  const r = recordsOf(region, codes);
  const { db } = handle;
  await insertChunks(r.qualifications, (c) =>
    db.insert(qualification).values(
      c.map((q) => ({
        municipality: q.municipality,
        localId: q.localId,
        code: q.code,
        title: q.title,
        eqfLevel: q.eqfLevel,
        iscoCode: q.iscoCode,
      })),
    ),
  );
  await insertChunks(r.holders, (c) =>
    db.insert(holder).values(
      c.map((h) => ({
        municipality: h.municipality,
        localId: h.localId,
        displayName: h.displayName,
        regionalHolderId: h.regionalHolderId,
      })),
    ),
  );
  await insertChunks(r.credentials, (c) =>
    db.insert(credential).values(
      c.map((x) => ({
        municipality: x.municipality,
        localId: x.localId,
        holderLocalId: x.holderLocalId,
        qualificationLocalId: x.qualificationLocalId,
        status: x.status,
        validFrom: x.validFrom,
        validUntil: x.validUntil,
        verificationHash: verificationHash(x.verificationCode),
      })),
    ),
  );
  await insertChunks(r.placements, (c) => db.insert(placement).values(c));
}
