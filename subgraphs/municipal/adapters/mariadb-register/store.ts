// MunicipalStore over the wide MariaDB register: letter statuses, DD.MM.YYYY dates, occupation lookup.

import { and, asc, count, eq, inArray, isNotNull, like, max, type SQL, sql } from 'drizzle-orm';
import type { MySqlColumn } from 'drizzle-orm/mysql-core';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import { parseGlobalId } from '../../../../schema/ids';
import { inScope } from '../../../../schema/scope';
import type { CredentialRecord, FlowQuery, HolderRecord, PlacementRecord, RecordedStatus } from '../../store';
import type { RegisterReads } from '../adapter';
import { flowRecognitionFromUses, type PlacementUse } from '../flow-uses';
import { invalidRecord } from '../invalid-record';
import {
  byLocalIds,
  globalOf,
  groupRows,
  inRequestOrder,
  isoFromDotted,
  keysetAfter,
  localIdsOf,
  pageKey,
  UNREADABLE_DATE,
} from '../register-keys-and-dates';
import { employment, occLookup, register } from './schema';

// biome-ignore lint/suspicious/noExplicitAny: the store imports its tables directly.
export type MariadbRegisterDatabase = MySql2Database<any>;

const STATES: Record<string, RecordedStatus> = { A: 'ACTIVE', S: 'SUSPENDED', R: 'REVOKED' };

const dateOf = (column: MySqlColumn): SQL => sql`STR_TO_DATE(${column}, '%d.%m.%Y')`;
/** The day as YYYY-MM-DD text; a string that is no date sorts first. */
const dayOf = (column: MySqlColumn): SQL<string> =>
  sql<string>`COALESCE(DATE_FORMAT(${dateOf(column)}, '%Y-%m-%d'), ${UNREADABLE_DATE})`;
const PERIOD: Record<string, (c: MySqlColumn) => SQL<string>> = {
  YEAR: (c) => sql<string>`DATE_FORMAT(${dateOf(c)}, '%Y')`,
  MONTH: (c) => sql<string>`DATE_FORMAT(${dateOf(c)}, '%Y-%m')`,
  QUARTER: (c) => sql<string>`CONCAT(DATE_FORMAT(${dateOf(c)}, '%Y'), '-Q', QUARTER(${dateOf(c)}))`,
};

/** An optional DD.MM.YYYY column: empty means open-ended; undefined means unreadable. */
function optionalDate(value: string | null): string | null | undefined {
  if (value === null || value.trim() === '') return null;
  return isoFromDotted(value) ?? undefined;
}

export function createMariadbRegisterStore(
  db: MariadbRegisterDatabase,
  code: string,
  close: () => Promise<void> = async () => {},
): RegisterReads {
  const credentialDay = dayOf(register.VALID_FROM);
  const placementDay = dayOf(employment.START_DT);
  const credentialColumns = { r: register, day: credentialDay, qualNo: occLookup.QUAL_NO };
  type CredentialRow = { r: typeof register.$inferSelect; day: string; qualNo: string | null };

  const toCredential = ({ r, qualNo }: CredentialRow): CredentialRecord | Error => {
    const id = globalOf(code, r.CERT_NO);
    const state = STATES[r.STAT];
    if (!state) return invalidRecord(code, id, `unknown status code '${r.STAT}'`);
    if (qualNo === null)
      return invalidRecord(code, id, `occupation code '${r.OCC_CODE}' is not in the lookup`);
    const validFrom = isoFromDotted(r.VALID_FROM);
    if (!validFrom) return invalidRecord(code, id, `VALID_FROM '${r.VALID_FROM}' is not a DD.MM.YYYY date`);
    const validUntil = optionalDate(r.VALID_TO);
    if (validUntil === undefined)
      return invalidRecord(code, id, `VALID_TO '${r.VALID_TO}' is not a DD.MM.YYYY date`);
    return {
      id,
      municipality: code,
      holderId: globalOf(code, r.PERS_NO),
      qualificationId: globalOf(code, qualNo),
      state,
      validFrom,
      validUntil,
    };
  };
  const toPlacement = (r: typeof employment.$inferSelect): PlacementRecord | Error => {
    const id = globalOf(code, r.EMP_NO);
    if (!parseGlobalId(r.CERT_REF))
      return invalidRecord(code, id, `certificate reference '${r.CERT_REF}' is not a global id`);
    const startDate = isoFromDotted(r.START_DT);
    if (!startDate) return invalidRecord(code, id, `START_DT '${r.START_DT}' is not a DD.MM.YYYY date`);
    const endDate = optionalDate(r.END_DT);
    if (endDate === undefined)
      return invalidRecord(code, id, `END_DT '${r.END_DT}' is not a DD.MM.YYYY date`);
    return {
      id,
      municipality: code,
      employer: r.EMPLOYER,
      iscoCode: r.ISCO08,
      startDate,
      endDate,
      credentialId: r.CERT_REF,
    };
  };
  const selectCredentials = () =>
    db
      .select(credentialColumns)
      .from(register)
      .leftJoin(occLookup, eq(occLookup.OCC_CODE, register.OCC_CODE));
  const credentialOrder = [asc(credentialDay), asc(register.CERT_NO)];
  const valid = <K>(rows: { key: K; value: CredentialRecord | Error }[]) =>
    rows.filter((m): m is { key: K; value: CredentialRecord } => !(m.value instanceof Error));

  /** The filtered placements by (credential, start date): the breakdown's one GROUP BY. */
  const uses = async (query: FlowQuery): Promise<PlacementUse[]> => {
    const origin = sql<string>`SUBSTRING_INDEX(${employment.CERT_REF}, ':', 1)`;
    const start = dateOf(employment.START_DT);
    const day = sql<string>`DATE_FORMAT(${dateOf(employment.START_DT)}, '%Y-%m-%d')`;
    const rows = await db
      .select({ credentialId: employment.CERT_REF, startDate: day, placements: count() })
      .from(employment)
      .where(
        and(
          isNotNull(start),
          query.from ? inArray(origin, [...query.from]) : undefined,
          query.iscoPrefix ? like(employment.ISCO08, `${query.iscoPrefix}%`) : undefined,
          query.startFrom ? sql`${start} >= ${query.startFrom}` : undefined,
          query.startTo ? sql`${start} <= ${query.startTo}` : undefined,
        ),
      )
      .groupBy(employment.CERT_REF, day);
    return rows.map((r) => ({ ...r, to: code, placements: Number(r.placements) }));
  };

  const reads: Omit<RegisterReads, 'flowCredentialsUsed' | 'placementRecognitionGroups'> = {
    municipalities: [code],

    async credentialsByIds(ids) {
      const locals = localIdsOf(code, ids);
      if (locals.length === 0) return ids.map(() => null);
      const rows = await selectCredentials().where(inArray(register.CERT_NO, locals));
      return inRequestOrder(ids, new Map(rows.map((r) => [globalOf(code, r.r.CERT_NO), toCredential(r)])));
    },

    async credentialsByHolderIds(holderIds) {
      const locals = localIdsOf(code, holderIds);
      if (locals.length === 0) return holderIds.map(() => []);
      const rows = await selectCredentials()
        .where(inArray(register.PERS_NO, locals))
        .orderBy(...credentialOrder);
      return groupRows(
        holderIds,
        valid(rows.map((r) => ({ key: globalOf(code, r.r.PERS_NO), value: toCredential(r) }))),
      );
    },

    async credentialsByRegionalHolderIds(rhids, municipalities) {
      if (rhids.length === 0 || !inScope(code, municipalities)) return rhids.map(() => []);
      const rows = await selectCredentials()
        .where(inArray(register.PERS_RHID, [...rhids]))
        .orderBy(...credentialOrder);
      return groupRows(rhids, valid(rows.map((r) => ({ key: r.r.PERS_RHID, value: toCredential(r) }))));
    },

    async credentialPage(request) {
      if (!inScope(code, request.municipalities)) return { items: [], hasMore: false, total: 0 };
      const after = keysetAfter(code, credentialDay, register.CERT_NO, request.after);
      const [rows, totals] = await Promise.all([
        request.first === 0
          ? Promise.resolve([])
          : selectCredentials()
              .where(after)
              .orderBy(...credentialOrder)
              .limit(request.first + 1),
        db.select({ n: count() }).from(register),
      ]);
      return {
        items: rows.slice(0, request.first).map((r) => ({
          record: toCredential(r),
          key: pageKey(r.day, code, r.r.CERT_NO),
        })),
        hasMore: rows.length > request.first,
        total: totals[0]?.n ?? 0,
      };
    },

    async holdersByIds(ids) {
      const locals = localIdsOf(code, ids);
      if (locals.length === 0) return ids.map(() => null);
      // A holder lives on every register row of theirs; rows that disagree make the holder invalid.
      const rows = await db
        .select({
          no: register.PERS_NO,
          name: max(register.PERS_NAME),
          rhid: max(register.PERS_RHID),
          variants: sql<number>`COUNT(DISTINCT ${register.PERS_NAME}, ${register.PERS_RHID})`,
        })
        .from(register)
        .where(inArray(register.PERS_NO, locals))
        .groupBy(register.PERS_NO);
      return inRequestOrder(
        ids,
        new Map(
          rows.map((r): [string, HolderRecord | Error] => {
            const id = globalOf(code, r.no);
            if (Number(r.variants) > 1)
              return [id, invalidRecord(code, id, 'register rows disagree on name or regional holder id')];
            return [
              id,
              { id, municipality: code, displayName: r.name ?? '', regionalHolderId: r.rhid ?? '' },
            ];
          }),
        ),
      );
    },

    async qualificationsByIds(ids) {
      const locals = localIdsOf(code, ids);
      if (locals.length === 0) return ids.map(() => null);
      const rows = await db.select().from(occLookup).where(inArray(occLookup.QUAL_NO, locals));
      return inRequestOrder(
        ids,
        new Map(
          rows.map((r) => {
            const id = globalOf(code, r.QUAL_NO);
            const record = {
              id,
              municipality: code,
              code: r.QUAL_CODE,
              title: r.QUAL_TITLE,
              eqfLevel: r.EQF,
              iscoCode: r.ISCO08,
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
        (locals) => db.select().from(employment).where(inArray(employment.EMP_NO, locals)),
        (r) => String(r.EMP_NO),
        (r) => toPlacement(r),
      );
    },

    async placementPage(request) {
      if (!inScope(code, request.municipalities)) return { items: [], hasMore: false, total: 0 };
      const after = keysetAfter(code, placementDay, employment.EMP_NO, request.after);
      const [rows, totals] = await Promise.all([
        request.first === 0
          ? Promise.resolve([])
          : db
              .select({ p: employment, day: placementDay })
              .from(employment)
              .where(after)
              .orderBy(asc(placementDay), asc(employment.EMP_NO))
              .limit(request.first + 1),
        db.select({ n: count() }).from(employment),
      ]);
      return {
        items: rows.slice(0, request.first).map((r) => ({
          record: toPlacement(r.p),
          key: pageKey(r.day, code, r.p.EMP_NO),
        })),
        hasMore: rows.length > request.first,
        total: totals[0]?.n ?? 0,
      };
    },

    async placementFlows(query) {
      if (!inScope(code, query.to)) return [];
      const origin = sql<string>`SUBSTRING_INDEX(${employment.CERT_REF}, ':', 1)`;
      const period = (PERIOD[query.granularity] as (c: MySqlColumn) => SQL<string>)(employment.START_DT);
      const start = dateOf(employment.START_DT);
      const rows = await db
        .select({ from: origin, iscoCode: employment.ISCO08, period, placements: count() })
        .from(employment)
        .where(
          and(
            isNotNull(start),
            query.from ? inArray(origin, [...query.from]) : undefined,
            query.iscoPrefix ? like(employment.ISCO08, `${query.iscoPrefix}%`) : undefined,
            query.startFrom ? sql`${start} >= ${query.startFrom}` : undefined,
            query.startTo ? sql`${start} <= ${query.startTo}` : undefined,
          ),
        )
        .groupBy(origin, employment.ISCO08, period);
      return rows.map((r) => ({ ...r, to: code, placements: Number(r.placements) }));
    },

    async verificationHashesByIds(ids) {
      const hashes = await byLocalIds(
        code,
        ids,
        (locals) =>
          db
            .select({ no: register.CERT_NO, hash: register.VERIF_HASH })
            .from(register)
            .where(inArray(register.CERT_NO, locals)),
        (r) => String(r.no),
        (r) => r.hash,
      );
      return hashes.map((h) => (typeof h === 'string' ? h : null));
    },

    close,
  };
  return { ...reads, ...flowRecognitionFromUses([code], uses, reads) };
}
