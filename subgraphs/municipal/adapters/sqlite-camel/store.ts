// MunicipalStore over the camelCase SQLite register: epoch dates, word statuses, JSON competencies.

import { and, asc, count, eq, gte, inArray, like, lte, type SQL, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { parseGlobalId } from '../../../../schema/ids';
import { inScope } from '../../../../schema/scope';
import type {
  CredentialRecord,
  FlowQuery,
  PlacementRecord,
  QualificationRecord,
  RecordedStatus,
} from '../../store';
import type { RegisterReads } from '../adapter';
import { flowRecognitionFromUses, type PlacementUse } from '../flow-uses';
import { invalidRecord } from '../invalid-record';
import {
  byLocalIds,
  epochFromIso,
  globalOf,
  groupRows,
  inRequestOrder,
  isoFromEpoch,
  keysetAfter,
  localIdsOf,
  pageKey,
  UNREADABLE_DATE,
} from '../register-keys-and-dates';
import { credentials, holders, placements, programmes } from './schema';

// biome-ignore lint/suspicious/noExplicitAny: the store imports its tables directly.
export type SqliteCamelDatabase = BetterSQLite3Database<any>;

const STATES: Record<string, RecordedStatus> = {
  active: 'ACTIVE',
  suspended: 'SUSPENDED',
  revoked: 'REVOKED',
};

/** The day of an epoch column as YYYY-MM-DD text; a value that is not an integer sorts first. */
const dayOf = (column: SQLiteColumn): SQL<string> =>
  sql<string>`(CASE WHEN typeof(${column}) = 'integer' THEN date(${column}, 'unixepoch') ELSE ${UNREADABLE_DATE} END)`;

const PERIOD: Record<string, (c: SQLiteColumn) => SQL<string>> = {
  YEAR: (c) => sql<string>`strftime('%Y', ${c}, 'unixepoch')`,
  MONTH: (c) => sql<string>`strftime('%Y-%m', ${c}, 'unixepoch')`,
  QUARTER: (c) =>
    sql<string>`strftime('%Y', ${c}, 'unixepoch') || '-Q' || ((CAST(strftime('%m', ${c}, 'unixepoch') AS INTEGER) + 2) / 3)`,
};

/** Reads the programme's competencies JSON: ISCO code and EQF level, or why it cannot. */
function readCompetencies(json: string): { isco08: string; eqf: number | null } | string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return 'competencies are not valid JSON';
  }
  const v = value as { isco08?: unknown; eqf?: unknown } | null;
  if (typeof v?.isco08 !== 'string' || !/^\d{4}$/.test(v.isco08))
    return 'competencies name no 4-digit ISCO-08 code';
  const eqf = v.eqf === undefined || v.eqf === null ? null : v.eqf;
  if (eqf !== null && !(Number.isInteger(eqf) && (eqf as number) >= 1 && (eqf as number) <= 8))
    return `EQF level ${JSON.stringify(eqf)} is not 1 to 8`;
  return { isco08: v.isco08, eqf: eqf as number | null };
}

export function createSqliteCamelStore(
  db: SqliteCamelDatabase,
  code: string,
  close: () => Promise<void> = async () => {},
): RegisterReads {
  const credentialDay = dayOf(credentials.validFrom);
  const placementDay = dayOf(placements.startedAt);
  const credentialColumns = {
    c: credentials,
    day: credentialDay,
    programme: programmes.programmeId,
    holder: holders.holderId,
  };
  type CredentialRow = {
    c: typeof credentials.$inferSelect;
    day: string;
    programme: string | null;
    holder: string | null;
  };

  const toCredential = (r: CredentialRow): CredentialRecord | Error => {
    const id = globalOf(code, r.c.credentialId);
    const state = STATES[r.c.status];
    if (!state) return invalidRecord(code, id, `unknown status '${r.c.status}'`);
    if (r.programme === null) return invalidRecord(code, id, `programme '${r.c.programmeId}' does not exist`);
    if (r.holder === null) return invalidRecord(code, id, `holder '${r.c.holderId}' does not exist`);
    const validFrom = isoFromEpoch(r.c.validFrom);
    if (!validFrom)
      return invalidRecord(code, id, `validFrom ${JSON.stringify(r.c.validFrom)} is not a date`);
    const validUntil = r.c.validUntil === null ? null : isoFromEpoch(r.c.validUntil);
    if (validUntil === null && r.c.validUntil !== null)
      return invalidRecord(code, id, `validUntil ${JSON.stringify(r.c.validUntil)} is not a date`);
    return {
      id,
      municipality: code,
      holderId: globalOf(code, r.c.holderId),
      qualificationId: globalOf(code, r.c.programmeId),
      state,
      validFrom,
      validUntil,
    };
  };
  const toPlacement = (r: typeof placements.$inferSelect): PlacementRecord | Error => {
    const id = globalOf(code, r.placementId);
    if (!parseGlobalId(r.credentialRef))
      return invalidRecord(code, id, `credential reference '${r.credentialRef}' is not a global id`);
    const startDate = isoFromEpoch(r.startedAt);
    if (!startDate) return invalidRecord(code, id, `startedAt ${JSON.stringify(r.startedAt)} is not a date`);
    const endDate = r.endedAt === null ? null : isoFromEpoch(r.endedAt);
    if (endDate === null && r.endedAt !== null)
      return invalidRecord(code, id, `endedAt ${JSON.stringify(r.endedAt)} is not a date`);
    return {
      id,
      municipality: code,
      employer: r.employerName,
      iscoCode: r.iscoCode,
      startDate,
      endDate,
      credentialId: r.credentialRef,
    };
  };
  const selectCredentials = () =>
    db
      .select(credentialColumns)
      .from(credentials)
      .leftJoin(programmes, eq(programmes.programmeId, credentials.programmeId))
      .leftJoin(holders, eq(holders.holderId, credentials.holderId));
  const credentialOrder = [asc(credentialDay), asc(credentials.credentialId)];
  const valid = <K>(rows: { key: K; value: CredentialRecord | Error }[]) =>
    rows.filter((m): m is { key: K; value: CredentialRecord } => !(m.value instanceof Error));

  /** The filtered placements by (credential, start date): the breakdown's one GROUP BY. */
  const uses = async (query: FlowQuery): Promise<PlacementUse[]> => {
    const origin = sql<string>`substr(${placements.credentialRef}, 1, instr(${placements.credentialRef}, ':') - 1)`;
    const day = sql<string>`strftime('%Y-%m-%d', ${placements.startedAt}, 'unixepoch')`;
    const rows = await db
      .select({ credentialId: placements.credentialRef, startDate: day, placements: count() })
      .from(placements)
      .where(
        and(
          sql`typeof(${placements.startedAt}) = 'integer'`,
          query.from ? inArray(origin, [...query.from]) : undefined,
          query.iscoPrefix ? like(placements.iscoCode, `${query.iscoPrefix}%`) : undefined,
          query.startFrom ? gte(placements.startedAt, epochFromIso(query.startFrom)) : undefined,
          query.startTo ? lte(placements.startedAt, epochFromIso(query.startTo)) : undefined,
        ),
      )
      .groupBy(placements.credentialRef, day);
    return rows.map((r) => ({ ...r, to: code, placements: Number(r.placements) }));
  };

  const reads: Omit<RegisterReads, 'flowCredentialsUsed' | 'placementRecognitionGroups'> = {
    municipalities: [code],

    async credentialsByIds(ids) {
      const locals = localIdsOf(code, ids);
      if (locals.length === 0) return ids.map(() => null);
      const rows = await selectCredentials().where(inArray(credentials.credentialId, locals));
      return inRequestOrder(
        ids,
        new Map(rows.map((r) => [globalOf(code, r.c.credentialId), toCredential(r)])),
      );
    },

    async credentialsByHolderIds(holderIds) {
      const locals = localIdsOf(code, holderIds);
      if (locals.length === 0) return holderIds.map(() => []);
      const rows = await selectCredentials()
        .where(inArray(credentials.holderId, locals))
        .orderBy(...credentialOrder);
      const mapped = rows.map((r) => ({ key: globalOf(code, r.c.holderId), value: toCredential(r) }));
      return groupRows(holderIds, valid(mapped));
    },

    async credentialsByRegionalHolderIds(rhids, municipalities) {
      if (rhids.length === 0 || !inScope(code, municipalities)) return rhids.map(() => []);
      const rows = await db
        .select({ ...credentialColumns, rhid: holders.regionalHolderId })
        .from(credentials)
        .innerJoin(holders, eq(holders.holderId, credentials.holderId))
        .leftJoin(programmes, eq(programmes.programmeId, credentials.programmeId))
        .where(inArray(holders.regionalHolderId, [...rhids]))
        .orderBy(...credentialOrder);
      return groupRows(rhids, valid(rows.map((r) => ({ key: r.rhid, value: toCredential(r) }))));
    },

    async credentialPage(request) {
      if (!inScope(code, request.municipalities)) return { items: [], hasMore: false, total: 0 };
      const after = keysetAfter(code, credentialDay, credentials.credentialId, request.after);
      const rows =
        request.first === 0
          ? []
          : await selectCredentials()
              .where(after)
              .orderBy(...credentialOrder)
              .limit(request.first + 1);
      const totals = await db.select({ n: count() }).from(credentials);
      return {
        items: rows.slice(0, request.first).map((r) => ({
          record: toCredential(r),
          key: pageKey(r.day, code, r.c.credentialId),
        })),
        hasMore: rows.length > request.first,
        total: totals[0]?.n ?? 0,
      };
    },

    async holdersByIds(ids) {
      const locals = localIdsOf(code, ids);
      if (locals.length === 0) return ids.map(() => null);
      const rows = await db.select().from(holders).where(inArray(holders.holderId, locals));
      return inRequestOrder(
        ids,
        new Map(
          rows.map((r) => {
            const id = globalOf(code, r.holderId);
            return [
              id,
              { id, municipality: code, displayName: r.fullName, regionalHolderId: r.regionalHolderId },
            ];
          }),
        ),
      );
    },

    async qualificationsByIds(ids) {
      const locals = localIdsOf(code, ids);
      if (locals.length === 0) return ids.map(() => null);
      const rows = await db.select().from(programmes).where(inArray(programmes.programmeId, locals));
      return inRequestOrder(
        ids,
        new Map(
          rows.map((r): [string, QualificationRecord | Error] => {
            const id = globalOf(code, r.programmeId);
            const read = readCompetencies(r.competencies);
            if (typeof read === 'string') return [id, invalidRecord(code, id, read)];
            return [
              id,
              {
                id,
                municipality: code,
                code: r.programmeCode,
                title: r.programmeTitle,
                eqfLevel: read.eqf,
                iscoCode: read.isco08,
              },
            ];
          }),
        ),
      );
    },

    async placementsByIds(ids) {
      return byLocalIds(
        code,
        ids,
        (locals) => db.select().from(placements).where(inArray(placements.placementId, locals)),
        (r) => String(r.placementId),
        (r) => toPlacement(r),
      );
    },

    async placementPage(request) {
      if (!inScope(code, request.municipalities)) return { items: [], hasMore: false, total: 0 };
      const after = keysetAfter(code, placementDay, placements.placementId, request.after);
      const rows =
        request.first === 0
          ? []
          : await db
              .select({ p: placements, day: placementDay })
              .from(placements)
              .where(after)
              .orderBy(asc(placementDay), asc(placements.placementId))
              .limit(request.first + 1);
      const totals = await db.select({ n: count() }).from(placements);
      return {
        items: rows.slice(0, request.first).map((r) => ({
          record: toPlacement(r.p),
          key: pageKey(r.day, code, r.p.placementId),
        })),
        hasMore: rows.length > request.first,
        total: totals[0]?.n ?? 0,
      };
    },

    async placementFlows(query) {
      if (!inScope(code, query.to)) return [];
      const origin = sql<string>`substr(${placements.credentialRef}, 1, instr(${placements.credentialRef}, ':') - 1)`;
      const period = (PERIOD[query.granularity] as (c: SQLiteColumn) => SQL<string>)(placements.startedAt);
      const rows = await db
        .select({ from: origin, iscoCode: placements.iscoCode, period, placements: count() })
        .from(placements)
        .where(
          and(
            sql`typeof(${placements.startedAt}) = 'integer'`,
            query.from ? inArray(origin, [...query.from]) : undefined,
            query.iscoPrefix ? like(placements.iscoCode, `${query.iscoPrefix}%`) : undefined,
            query.startFrom ? gte(placements.startedAt, epochFromIso(query.startFrom)) : undefined,
            query.startTo ? lte(placements.startedAt, epochFromIso(query.startTo)) : undefined,
          ),
        )
        .groupBy(origin, placements.iscoCode, period);
      return rows.map((r) => ({ ...r, to: code, placements: Number(r.placements) }));
    },

    async verificationHashesByIds(ids) {
      const hashes = await byLocalIds(
        code,
        ids,
        (locals) =>
          db
            .select({ id: credentials.credentialId, hash: credentials.verificationHash })
            .from(credentials)
            .where(inArray(credentials.credentialId, locals)),
        (r) => String(r.id),
        (r) => r.hash,
      );
      return hashes.map((h) => (typeof h === 'string' ? h : null));
    },

    close,
  };
  return { ...reads, ...flowRecognitionFromUses([code], uses, reads) };
}
