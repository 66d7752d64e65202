// Writes one municipality's share of a generated region into the PostgreSQL award ledger.

import type { PgHandle } from '../../../../common/postgres';
import type { RegionData } from '../../../../common/region-records';
import { recordsOf, verificationHash } from '../../../../common/region-records';
import { rangeOf } from '../kit/dates';
import { LEDGER_STATES } from './mapping';
import { award, awardType, job, learner } from './schema';

/** References in the "C" collation, so SQL orders them by code unit as the gateway merges. */
export const CREATE_TABLES = `
CREATE SCHEMA IF NOT EXISTS ledger;
CREATE TABLE IF NOT EXISTS ledger.award_type (
  award_type_id serial PRIMARY KEY, award_type_ref text COLLATE "C" NOT NULL UNIQUE,
  label text NOT NULL, local_code text NOT NULL, isco text, eqf integer);
CREATE TABLE IF NOT EXISTS ledger.learner (
  learner_id serial PRIMARY KEY, learner_ref text COLLATE "C" NOT NULL UNIQUE,
  name jsonb NOT NULL, regional_id text NOT NULL);
CREATE INDEX IF NOT EXISTS learner_regional_id_idx ON ledger.learner (regional_id);
CREATE TABLE IF NOT EXISTS ledger.award (
  award_id serial PRIMARY KEY, award_ref text COLLATE "C" NOT NULL UNIQUE,
  learner_id integer NOT NULL, award_type_id integer NOT NULL, state text NOT NULL,
  validity daterange NOT NULL, digest text);
CREATE INDEX IF NOT EXISTS award_learner_idx ON ledger.award (learner_id);
CREATE INDEX IF NOT EXISTS award_validity_idx ON ledger.award ((lower(validity)) NULLS FIRST, award_ref);
CREATE TABLE IF NOT EXISTS ledger.job (
  job_id serial PRIMARY KEY, job_ref text COLLATE "C" NOT NULL UNIQUE,
  award_global_ref text COLLATE "C" NOT NULL, isco text NOT NULL, employer text NOT NULL,
  period daterange NOT NULL);
CREATE INDEX IF NOT EXISTS job_period_idx ON ledger.job ((lower(period)) NULLS FIRST, job_ref);
`;

const CHUNK = 500;
async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

export async function seedPgLedger(handle: PgHandle, region: RegionData, code: string): Promise<boolean> {
  await handle.exec(CREATE_TABLES);
  const { db } = handle;
  if ((await db.select().from(awardType).limit(1)).length > 0) return false;
  const r = recordsOf(region, [code]);
  const types = await db
    .insert(awardType)
    .values(
      r.qualifications.map((q) => ({
        awardTypeRef: q.localId,
        label: q.title,
        localCode: q.code,
        isco: q.iscoCode,
        eqf: q.eqfLevel,
      })),
    )
    .returning({ id: awardType.awardTypeId, ref: awardType.awardTypeRef });
  const typeIds = new Map(types.map((t) => [t.ref, t.id]));
  const learnerIds = new Map<string, number>();
  await inChunks(r.holders, async (c) => {
    const rows = await db
      .insert(learner)
      .values(
        c.map((h) => {
          const [given, ...family] = h.displayName.split(' ');
          return {
            learnerRef: h.localId,
            name: { given, family: family.join(' ') },
            regionalId: h.regionalHolderId,
          };
        }),
      )
      .returning({ id: learner.learnerId, ref: learner.learnerRef });
    for (const row of rows) learnerIds.set(row.ref, row.id);
  });
  await inChunks(r.credentials, (c) =>
    db.insert(award).values(
      c.map((x) => ({
        awardRef: x.localId,
        learnerId: learnerIds.get(x.holderLocalId) ?? -1,
        awardTypeId: typeIds.get(x.qualificationLocalId) ?? -1,
        state: LEDGER_STATES[x.status],
        validity: rangeOf(x.validFrom, x.validUntil),
        digest: verificationHash(x.verificationCode),
      })),
    ),
  );
  await inChunks(r.placements, (c) =>
    db.insert(job).values(
      c.map((p) => ({
        jobRef: p.localId,
        awardGlobalRef: p.credentialId,
        isco: p.iscoCode,
        employer: p.employer,
        period: rangeOf(p.startDate, p.endDate),
      })),
    ),
  );
  return true;
}
