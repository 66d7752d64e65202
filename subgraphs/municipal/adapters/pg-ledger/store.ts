// MunicipalStore over the PostgreSQL award ledger: date ranges, surrogate keys, JSON names, own states.

import { and, asc, count, eq, gt, inArray, isNotNull, like, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { parseGlobalId } from '../../../../schema/ids';
import { inScope } from '../../../../schema/scope';
import type { CredentialRecord, FlowQuery, PlacementRecord, RecordedStatus, SortKey } from '../../store';
import type { RegisterReads } from '../adapter';
import { flowRecognitionFromUses, type PlacementUse } from '../flow-uses';
import { invalidRecord } from '../invalid-record';
import {
  byLocalIds,
  globalOf,
  groupRows,
  inRequestOrder,
  isoFromIso,
  localIdsOf,
  pageKey,
  UNREADABLE_DATE,
} from '../register-keys-and-dates';
import { award, awardType, job, learner } from './schema';

// biome-ignore lint/suspicious/noExplicitAny: drizzle's database type is generic over its driver.
export type PgLedgerDatabase = PgDatabase<PgQueryResultHKT, any>;

const STATES: Record<string, RecordedStatus> = {
  granted: 'ACTIVE',
  paused: 'SUSPENDED',
  withdrawn: 'REVOKED',
};
const PERIOD_FORMAT = { YEAR: 'YYYY', QUARTER: 'YYYY-"Q"Q', MONTH: 'YYYY-MM' } as const;

/** First day of a range as the sort key's text; a range without a start reads as UNREADABLE_DATE. */
const firstDay = (range: PgColumn) =>
  sql<string>`COALESCE(to_char(lower(${range}), 'YYYY-MM-DD'), ${UNREADABLE_DATE})`;
/** The order the ledger's (lower(range) NULLS FIRST, ref) indexes serve: unreadable first, as keyed. */
const rangeOrder = (range: PgColumn, ref: PgColumn) => [sql`lower(${range}) ASC NULLS FIRST`, asc(ref)];

/** Rows after a (day, municipality, ref) position, on the indexed lower(range) rather than its text. */
function rangeAfter(code: string, range: PgColumn, ref: PgColumn, after: SortKey | null): SQL | undefined {
  if (!after) return undefined;
  const [day, municipality, local] = after.map(String) as [string, string, string];
  const start = sql`lower(${range})`;
  const readable = isoFromIso(day) !== null;
  const later =
    day === UNREADABLE_DATE
      ? sql`${start} IS NOT NULL`
      : readable
        ? sql`${start} > ${day}::date`
        : sql.raw(day < UNREADABLE_DATE ? 'true' : 'false');
  const same =
    day === UNREADABLE_DATE
      ? sql`${start} IS NULL`
      : readable
        ? sql`${start} = ${day}::date`
        : sql.raw('false');
  if (code > municipality) return or(later, same);
  if (code < municipality) return later;
  return or(later, and(same, gt(ref, local)));
}
/** Last day of a half-open range; null when it is open-ended. */
const lastDay = (range: PgColumn) => sql<string | null>`to_char(upper(${range}) - 1, 'YYYY-MM-DD')`;

const displayName = (name: { given?: unknown; family?: unknown } | null) =>
  [name?.given, name?.family].filter((p) => typeof p === 'string' && p !== '').join(' ');

export function createPgLedgerStore(
  db: PgLedgerDatabase,
  code: string,
  close: () => Promise<void> = async () => {},
): RegisterReads {
  const awardFrom = firstDay(award.validity);
  const jobFrom = firstDay(job.period);
  const credentialColumns = {
    ref: award.awardRef,
    state: award.state,
    validity: award.validity,
    from: awardFrom,
    until: lastDay(award.validity),
    learnerRef: learner.learnerRef,
    typeRef: awardType.awardTypeRef,
    learnerId: award.learnerId,
    typeId: award.awardTypeId,
  };
  type CredentialRow = {
    ref: string;
    state: string;
    validity: string;
    from: string;
    until: string | null;
    learnerRef: string | null;
    typeRef: string | null;
    learnerId: number;
    typeId: number;
  };
  const toCredential = (r: CredentialRow): CredentialRecord | Error => {
    const id = globalOf(code, r.ref);
    const state = STATES[r.state];
    if (!state) return invalidRecord(code, id, `unknown award state '${r.state}'`);
    if (r.typeRef === null) return invalidRecord(code, id, `award type ${r.typeId} does not exist`);
    if (r.learnerRef === null) return invalidRecord(code, id, `learner ${r.learnerId} does not exist`);
    if (r.from === UNREADABLE_DATE)
      return invalidRecord(code, id, `validity '${r.validity}' has no first day`);
    return {
      id,
      municipality: code,
      holderId: globalOf(code, r.learnerRef),
      qualificationId: globalOf(code, r.typeRef),
      state,
      validFrom: r.from,
      validUntil: r.until,
    };
  };
  const jobColumns = { j: job, from: jobFrom, until: lastDay(job.period) };
  const toPlacement = (r: { j: typeof job.$inferSelect; from: string; until: string | null }) => {
    const id = globalOf(code, r.j.jobRef);
    if (!parseGlobalId(r.j.awardGlobalRef))
      return invalidRecord(code, id, `award reference '${r.j.awardGlobalRef}' is not a global id`);
    if (r.from === UNREADABLE_DATE) return invalidRecord(code, id, `period '${r.j.period}' has no first day`);
    const record: PlacementRecord = {
      id,
      municipality: code,
      employer: r.j.employer,
      iscoCode: r.j.isco,
      startDate: r.from,
      endDate: r.until,
      credentialId: r.j.awardGlobalRef,
    };
    return record;
  };
  const selectCredentials = () =>
    db
      .select(credentialColumns)
      .from(award)
      .leftJoin(learner, eq(learner.learnerId, award.learnerId))
      .leftJoin(awardType, eq(awardType.awardTypeId, award.awardTypeId));
  const credentialOrder = rangeOrder(award.validity, award.awardRef);
  const valid = <K>(rows: { key: K; value: CredentialRecord | Error }[]) =>
    rows.filter((m): m is { key: K; value: CredentialRecord } => !(m.value instanceof Error));

  /** The filtered placements by (credential, start date): the breakdown's one GROUP BY. */
  const uses = async (query: FlowQuery): Promise<PlacementUse[]> => {
    const origin = sql<string>`split_part(${job.awardGlobalRef}, ':', 1)`;
    const start: SQL = sql`lower(${job.period})`;
    const day = sql<string>`to_char(lower(${job.period}), 'YYYY-MM-DD')`;
    const rows = await db
      .select({ credentialId: job.awardGlobalRef, startDate: day, placements: count() })
      .from(job)
      .where(
        and(
          isNotNull(start),
          query.from ? inArray(origin, [...query.from]) : undefined,
          query.iscoPrefix ? like(job.isco, `${query.iscoPrefix}%`) : undefined,
          query.startFrom ? sql`${start} >= ${query.startFrom}::date` : undefined,
          query.startTo ? sql`${start} <= ${query.startTo}::date` : undefined,
        ),
      )
      .groupBy(job.awardGlobalRef, day);
    return rows.map((r) => ({ ...r, to: code, placements: Number(r.placements) }));
  };

  const reads: Omit<RegisterReads, 'flowCredentialsUsed' | 'placementRecognitionGroups'> = {
    municipalities: [code],

    async credentialsByIds(ids) {
      const locals = localIdsOf(code, ids);
      if (locals.length === 0) return ids.map(() => null);
      const rows = await selectCredentials().where(inArray(award.awardRef, locals));
      return inRequestOrder(ids, new Map(rows.map((r) => [globalOf(code, r.ref), toCredential(r)])));
    },

    async credentialsByHolderIds(holderIds) {
      const locals = localIdsOf(code, holderIds);
      if (locals.length === 0) return holderIds.map(() => []);
      const rows = await selectCredentials()
        .where(inArray(learner.learnerRef, locals))
        .orderBy(...credentialOrder);
      return groupRows(
        holderIds,
        valid(rows.map((r) => ({ key: globalOf(code, r.learnerRef ?? ''), value: toCredential(r) }))),
      );
    },

    async credentialsByRegionalHolderIds(rhids, municipalities) {
      if (rhids.length === 0 || !inScope(code, municipalities)) return rhids.map(() => []);
      const rows = await db
        .select({ ...credentialColumns, rhid: learner.regionalId })
        .from(award)
        .innerJoin(learner, eq(learner.learnerId, award.learnerId))
        .leftJoin(awardType, eq(awardType.awardTypeId, award.awardTypeId))
        .where(inArray(learner.regionalId, [...rhids]))
        .orderBy(...credentialOrder);
      return groupRows(rhids, valid(rows.map((r) => ({ key: r.rhid, value: toCredential(r) }))));
    },

    async credentialPage(request) {
      if (!inScope(code, request.municipalities)) return { items: [], hasMore: false, total: 0 };
      const after = rangeAfter(code, award.validity, award.awardRef, request.after);
      const [rows, totals] = await Promise.all([
        request.first === 0
          ? Promise.resolve([])
          : selectCredentials()
              .where(after)
              .orderBy(...credentialOrder)
              .limit(request.first + 1),
        db.select({ n: count() }).from(award),
      ]);
      return {
        items: rows.slice(0, request.first).map((r) => ({
          record: toCredential(r),
          key: pageKey(r.from, code, r.ref),
        })),
        hasMore: rows.length > request.first,
        total: totals[0]?.n ?? 0,
      };
    },

    async holdersByIds(ids) {
      const locals = localIdsOf(code, ids);
      if (locals.length === 0) return ids.map(() => null);
      const rows = await db.select().from(learner).where(inArray(learner.learnerRef, locals));
      return inRequestOrder(
        ids,
        new Map(
          rows.map((r) => {
            const id = globalOf(code, r.learnerRef);
            return [
              id,
              { id, municipality: code, displayName: displayName(r.name), regionalHolderId: r.regionalId },
            ];
          }),
        ),
      );
    },

    async qualificationsByIds(ids) {
      const locals = localIdsOf(code, ids);
      if (locals.length === 0) return ids.map(() => null);
      const rows = await db.select().from(awardType).where(inArray(awardType.awardTypeRef, locals));
      return inRequestOrder(
        ids,
        new Map(
          rows.map((r) => {
            const id = globalOf(code, r.awardTypeRef);
            const record = {
              id,
              municipality: code,
              code: r.localCode,
              title: r.label,
              eqfLevel: r.eqf,
              iscoCode: r.isco,
            };
            return [id, record];
          }),
        ),
      );
    },

    async placementsByIds(ids) {
      return byLocalIds(
        code,
        ids,
        (locals) => db.select(jobColumns).from(job).where(inArray(job.jobRef, locals)),
        (r) => String(r.j.jobRef),
        (r) => toPlacement(r),
      );
    },

    async placementPage(request) {
      if (!inScope(code, request.municipalities)) return { items: [], hasMore: false, total: 0 };
      const after = rangeAfter(code, job.period, job.jobRef, request.after);
      const [rows, totals] = await Promise.all([
        request.first === 0
          ? Promise.resolve([])
          : db
              .select(jobColumns)
              .from(job)
              .where(after)
              .orderBy(...rangeOrder(job.period, job.jobRef))
              .limit(request.first + 1),
        db.select({ n: count() }).from(job),
      ]);
      return {
        items: rows.slice(0, request.first).map((r) => ({
          record: toPlacement(r),
          key: pageKey(r.from, code, r.j.jobRef),
        })),
        hasMore: rows.length > request.first,
        total: totals[0]?.n ?? 0,
      };
    },

    async placementFlows(query) {
      if (!inScope(code, query.to)) return [];
      const origin = sql<string>`split_part(${job.awardGlobalRef}, ':', 1)`;
      const start: SQL = sql`lower(${job.period})`;
      const period = sql<string>`to_char(${start}, ${sql.raw(`'${PERIOD_FORMAT[query.granularity]}'`)})`;
      const rows = await db
        .select({ from: origin, iscoCode: job.isco, period, placements: count() })
        .from(job)
        .where(
          and(
            isNotNull(start),
            query.from ? inArray(origin, [...query.from]) : undefined,
            query.iscoPrefix ? like(job.isco, `${query.iscoPrefix}%`) : undefined,
            query.startFrom ? sql`${start} >= ${query.startFrom}::date` : undefined,
            query.startTo ? sql`${start} <= ${query.startTo}::date` : undefined,
          ),
        )
        .groupBy(origin, job.isco, period);
      return rows.map((r) => ({ ...r, to: code, placements: Number(r.placements) }));
    },

    async verificationHashesByIds(ids) {
      const hashes = await byLocalIds(
        code,
        ids,
        (locals) =>
          db
            .select({ ref: award.awardRef, digest: award.digest })
            .from(award)
            .where(inArray(award.awardRef, locals)),
        (r) => String(r.ref),
        (r) => r.digest,
      );
      return hashes.map((h) => (typeof h === 'string' ? h : null));
    },

    close,
  };
  return { ...reads, ...flowRecognitionFromUses([code], uses, reads) };
}
