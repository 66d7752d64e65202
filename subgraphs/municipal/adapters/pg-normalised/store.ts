// MunicipalStore over the normalised PostgreSQL register: code list of states, split names, typed dates.

import { and, asc, count, eq, gte, inArray, like, lte, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { parseGlobalId } from '../../../../schema/ids';
import { inScope } from '../../../../schema/scope';
import type { CredentialRecord, FlowQuery, PlacementRecord, RecordedStatus } from '../../store';
import type { RegisterReads } from '../adapter';
import { flowRecognitionFromUses, type PlacementUse } from '../flow-uses';
import { invalidRecord } from '../invalid-record';
import {
  byLocalIds,
  globalOf,
  groupRows,
  inRequestOrder,
  isoFromIso,
  keysetAfter,
  localIdsOf,
  pageKey,
} from '../register-keys-and-dates';
import { certificate, employment, person, trainingProgramme } from './schema';

// biome-ignore lint/suspicious/noExplicitAny: drizzle's database type is generic over its driver.
export type PgNormalisedDatabase = PgDatabase<PgQueryResultHKT, any>;

const STATES: Record<number, RecordedStatus> = { 1: 'ACTIVE', 2: 'SUSPENDED', 3: 'REVOKED' };
const PERIOD_FORMAT = { YEAR: 'YYYY', QUARTER: 'YYYY-"Q"Q', MONTH: 'YYYY-MM' } as const;

const credentialColumns = {
  c: certificate,
  programme: trainingProgramme.programmeRef,
  person: person.personRef,
};
type CredentialRow = {
  c: typeof certificate.$inferSelect;
  programme: string | null;
  person: string | null;
};

/** A typed date column never holds an unreadable date; such a bound from a cursor admits every row. */
function typedAfter(
  code: string,
  after: readonly (string | number)[] | null,
  date: typeof certificate.issuedOn | typeof employment.startedOn,
  id: typeof certificate.certificateNo | typeof employment.employmentNo,
) {
  if (after && !isoFromIso(String(after[0]))) return String(after[0]) < '0001' ? undefined : sql`false`;
  return keysetAfter(code, date, id, after);
}

export function createPgNormalisedStore(
  db: PgNormalisedDatabase,
  code: string,
  close: () => Promise<void> = async () => {},
): RegisterReads {
  const toCredential = (r: CredentialRow): CredentialRecord | Error => {
    const id = globalOf(code, r.c.certificateNo);
    const state = STATES[r.c.stateCode];
    if (!state) return invalidRecord(code, id, `unknown state code ${r.c.stateCode}`);
    if (r.programme === null)
      return invalidRecord(code, id, `programme '${r.c.programmeRef}' does not exist`);
    if (r.person === null) return invalidRecord(code, id, `person '${r.c.personRef}' does not exist`);
    if (r.c.expiresOn !== null && r.c.expiresOn < r.c.issuedOn)
      return invalidRecord(code, id, `expiry date ${r.c.expiresOn} is before issue date ${r.c.issuedOn}`);
    return {
      id,
      municipality: code,
      holderId: globalOf(code, r.c.personRef),
      qualificationId: globalOf(code, r.c.programmeRef),
      state,
      validFrom: r.c.issuedOn,
      validUntil: r.c.expiresOn,
    };
  };
  const toPlacement = (r: typeof employment.$inferSelect): PlacementRecord | Error => {
    const id = globalOf(code, r.employmentNo);
    if (!parseGlobalId(r.certificateRef))
      return invalidRecord(code, id, `certificate reference '${r.certificateRef}' is not a global id`);
    if (r.endedOn !== null && r.endedOn < r.startedOn)
      return invalidRecord(code, id, `end date ${r.endedOn} is before start date ${r.startedOn}`);
    return {
      id,
      municipality: code,
      employer: r.employerName,
      iscoCode: r.isco08,
      startDate: r.startedOn,
      endDate: r.endedOn,
      credentialId: r.certificateRef,
    };
  };
  const credentials = () =>
    db
      .select(credentialColumns)
      .from(certificate)
      .leftJoin(trainingProgramme, eq(trainingProgramme.programmeRef, certificate.programmeRef))
      .leftJoin(person, eq(person.personRef, certificate.personRef));
  const credentialOrder = [asc(certificate.issuedOn), asc(certificate.certificateNo)];
  const validOnly = (rows: CredentialRow[]) =>
    rows.map(toCredential).filter((c): c is CredentialRecord => !(c instanceof Error));

  /** The filtered placements by (credential, start date): the breakdown's one GROUP BY. */
  const uses = async (query: FlowQuery): Promise<PlacementUse[]> => {
    const origin = sql<string>`split_part(${employment.certificateRef}, ':', 1)`;
    const day = sql<string>`to_char(${employment.startedOn}, 'YYYY-MM-DD')`;
    const rows = await db
      .select({ credentialId: employment.certificateRef, startDate: day, placements: count() })
      .from(employment)
      .where(
        and(
          query.from ? inArray(origin, [...query.from]) : undefined,
          query.iscoPrefix ? like(employment.isco08, `${query.iscoPrefix}%`) : undefined,
          query.startFrom ? gte(employment.startedOn, query.startFrom) : undefined,
          query.startTo ? lte(employment.startedOn, query.startTo) : undefined,
        ),
      )
      .groupBy(employment.certificateRef, day);
    return rows.map((r) => ({ ...r, to: code, placements: Number(r.placements) }));
  };

  const reads: Omit<RegisterReads, 'flowCredentialsUsed' | 'placementRecognitionGroups'> = {
    municipalities: [code],

    async credentialsByIds(ids) {
      const locals = localIdsOf(code, ids);
      if (locals.length === 0) return ids.map(() => null);
      const rows = await credentials().where(inArray(certificate.certificateNo, locals));
      return inRequestOrder(
        ids,
        new Map(rows.map((r) => [globalOf(code, r.c.certificateNo), toCredential(r)])),
      );
    },

    async credentialsByHolderIds(holderIds) {
      const locals = localIdsOf(code, holderIds);
      if (locals.length === 0) return holderIds.map(() => []);
      const rows = await credentials()
        .where(inArray(certificate.personRef, locals))
        .orderBy(...credentialOrder);
      return groupRows(
        holderIds,
        validOnly(rows).map((c) => ({ key: c.holderId, value: c })),
      );
    },

    async credentialsByRegionalHolderIds(rhids, municipalities) {
      if (rhids.length === 0 || !inScope(code, municipalities)) return rhids.map(() => []);
      const rows = await db
        .select({ ...credentialColumns, rhid: person.regionalHolderId })
        .from(certificate)
        .innerJoin(person, eq(person.personRef, certificate.personRef))
        .leftJoin(trainingProgramme, eq(trainingProgramme.programmeRef, certificate.programmeRef))
        .where(inArray(person.regionalHolderId, [...rhids]))
        .orderBy(...credentialOrder);
      const mapped = rows.map((r) => ({ key: r.rhid, value: toCredential(r) }));
      return groupRows(
        rhids,
        mapped.filter((m): m is { key: string; value: CredentialRecord } => !(m.value instanceof Error)),
      );
    },

    async credentialPage(request) {
      if (!inScope(code, request.municipalities)) return { items: [], hasMore: false, total: 0 };
      const after = typedAfter(code, request.after, certificate.issuedOn, certificate.certificateNo);
      const [rows, totals] = await Promise.all([
        request.first === 0
          ? Promise.resolve([])
          : credentials()
              .where(after)
              .orderBy(...credentialOrder)
              .limit(request.first + 1),
        db.select({ n: count() }).from(certificate),
      ]);
      return {
        items: rows.slice(0, request.first).map((r) => ({
          record: toCredential(r),
          key: pageKey(r.c.issuedOn, code, r.c.certificateNo),
        })),
        hasMore: rows.length > request.first,
        total: totals[0]?.n ?? 0,
      };
    },

    async holdersByIds(ids) {
      const locals = localIdsOf(code, ids);
      if (locals.length === 0) return ids.map(() => null);
      const rows = await db.select().from(person).where(inArray(person.personRef, locals));
      return inRequestOrder(
        ids,
        new Map(
          rows.map((r) => {
            const id = globalOf(code, r.personRef);
            const displayName = `${r.givenName} ${r.familyName}`.trim();
            return [id, { id, municipality: code, displayName, regionalHolderId: r.regionalHolderId }];
          }),
        ),
      );
    },

    async qualificationsByIds(ids) {
      const locals = localIdsOf(code, ids);
      if (locals.length === 0) return ids.map(() => null);
      const rows = await db
        .select()
        .from(trainingProgramme)
        .where(inArray(trainingProgramme.programmeRef, locals));
      return inRequestOrder(
        ids,
        new Map(
          rows.map((r) => {
            const id = globalOf(code, r.programmeRef);
            const record = {
              id,
              municipality: code,
              code: r.programmeCode,
              title: r.title,
              eqfLevel: r.eqfLevel,
              iscoCode: r.isco08,
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
        (locals) => db.select().from(employment).where(inArray(employment.employmentNo, locals)),
        (r) => String(r.employmentNo),
        (r) => toPlacement(r),
      );
    },

    async placementPage(request) {
      if (!inScope(code, request.municipalities)) return { items: [], hasMore: false, total: 0 };
      const after = typedAfter(code, request.after, employment.startedOn, employment.employmentNo);
      const [rows, totals] = await Promise.all([
        request.first === 0
          ? Promise.resolve([])
          : db
              .select()
              .from(employment)
              .where(after)
              .orderBy(asc(employment.startedOn), asc(employment.employmentNo))
              .limit(request.first + 1),
        db.select({ n: count() }).from(employment),
      ]);
      return {
        items: rows.slice(0, request.first).map((r) => ({
          record: toPlacement(r),
          key: pageKey(r.startedOn, code, r.employmentNo),
        })),
        hasMore: rows.length > request.first,
        total: totals[0]?.n ?? 0,
      };
    },

    async placementFlows(query) {
      if (!inScope(code, query.to)) return [];
      const origin = sql<string>`split_part(${employment.certificateRef}, ':', 1)`;
      const period = sql<string>`to_char(${employment.startedOn}, ${sql.raw(`'${PERIOD_FORMAT[query.granularity]}'`)})`;
      const rows = await db
        .select({ from: origin, iscoCode: employment.isco08, period, placements: count() })
        .from(employment)
        .where(
          and(
            query.from ? inArray(origin, [...query.from]) : undefined,
            query.iscoPrefix ? like(employment.isco08, `${query.iscoPrefix}%`) : undefined,
            query.startFrom ? gte(employment.startedOn, query.startFrom) : undefined,
            query.startTo ? lte(employment.startedOn, query.startTo) : undefined,
          ),
        )
        .groupBy(origin, employment.isco08, period);
      return rows.map((r) => ({ ...r, to: code, placements: Number(r.placements) }));
    },

    async verificationHashesByIds(ids) {
      const hashes = await byLocalIds(
        code,
        ids,
        (locals) =>
          db
            .select({ no: certificate.certificateNo, digest: certificate.verificationDigest })
            .from(certificate)
            .where(inArray(certificate.certificateNo, locals)),
        (r) => String(r.no),
        (r) => r.digest,
      );
      return hashes.map((h) => (typeof h === 'string' ? h : null));
    },

    close,
  };
  return { ...reads, ...flowRecognitionFromUses([code], uses, reads) };
}
