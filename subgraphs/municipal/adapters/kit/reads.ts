// The reads of any mapped register: batch lookups, keyset pages, flow GROUP BYs and verification
// hashes, each one SQL statement (two for a page), built from its mapping.
import {
  and,
  asc,
  type Column,
  count,
  eq,
  inArray,
  like,
  max,
  or,
  type SQL,
  sql,
  type Table,
} from 'drizzle-orm';
import { parseGlobalId } from '../../../../schema/ids';
import { inScope } from '../../../../schema/scope';
import type {
  CredentialRecord,
  FlowQuery,
  HolderRecord,
  Page,
  PageRequest,
  PlacementRecord,
  QualificationRecord,
  RecordedStatus,
  SortKey,
} from '../../store';
import type { RegisterReads } from '../adapter';
import { flowRecognitionFromUses, type PlacementUse } from '../flow-uses';
import { invalidRecord } from '../invalid-record';
import { byLocalIds, globalOf, groupRows, localIdsOf, pageKey } from '../register-keys-and-dates';
import { readDate } from './dates';
import { type DateSql, DIALECT_SQL, dateSql } from './dialect-sql';
import { idSql, storedValue, whereIds } from './ids';
import {
  type DateField,
  type Field,
  isMissing,
  type Missing,
  type Reference,
  type RegisterMapping,
  type Unreadable,
} from './mapping';

// biome-ignore lint/suspicious/noExplicitAny: the kit runs the same builders on every drizzle driver.
export type AnyDatabase = any;

export const tableOf = (column: Column): Table => (column as unknown as { table: Table }).table;

/** The referenced record's id as the row reads it (through the join where there is one). */
const referencedId = (ref: Reference): Column => (ref.refers ? (ref.id ?? ref.refers) : ref.column);

/** The columns a field reads, under `key` (and `key_1`, `key_2`, … for more than one). */
function fieldColumns(key: string, field: Field<unknown> | Missing<unknown>): Record<string, Column> {
  if (isMissing(field)) return {};
  const columns = 'columns' in field ? field.columns : ['column' in field ? field.column : field];
  return Object.fromEntries(columns.map((c, i) => [i === 0 ? key : `${key}_${i}`, c]));
}

/** A field's value from a row, or the problem that makes the record unreadable. */
function readField<T>(
  key: string,
  field: Field<T> | Missing<T>,
  row: Record<string, unknown>,
): { value: T } | { problem: string } {
  if (isMissing<T>(field)) return { value: field.missing };
  if (!('read' in field)) return { value: row[key] as T };
  const raws =
    'columns' in field ? field.columns.map((_, i) => row[i === 0 ? key : `${key}_${i}`]) : [row[key]];
  const read = (field.read as (...raw: unknown[]) => T | Unreadable)(...raws);
  return typeof read === 'object' && read !== null && 'unreadable' in read
    ? { problem: (read as Unreadable).unreadable }
    : { value: read as T };
}

export function createMappedReads(
  m: RegisterMapping,
  db: AnyDatabase,
  code: string,
  close: () => Promise<void>,
): RegisterReads {
  const d = DIALECT_SQL[m.dialect];
  const c = m.credential;
  const p = m.placement;
  const credentialId = idSql(m.dialect, c.id);
  const placementId = idSql(m.dialect, p.id);
  const issued = dateSql(m.dialect, c.validFrom);
  const started = dateSql(m.dialect, p.startDate);
  const stateOf = new Map(Object.entries(c.state.codes).map(([s, v]) => [String(v), s as RecordedStatus]));

  const credentialColumns = {
    id: credentialId,
    day: issued.sortDay,
    holder: referencedId(c.holder),
    holderStored: c.holder.column,
    qualification: referencedId(c.qualification),
    qualificationStored: c.qualification.column,
    state: c.state.column,
    validFrom: c.validFrom.column,
    validUntil: c.validUntil.column,
  };
  type CredentialRow = Record<keyof typeof credentialColumns, unknown> & { id: string; day: string };
  /** Credentials with what they refer to left-joined, so a dangling reference is seen. */
  const selectCredentials = (extra: Record<string, unknown> = {}, innerHolder = false) => {
    let query = db.select({ ...credentialColumns, ...extra }).from(c.table);
    for (const [ref, inner] of [
      [c.holder, innerHolder],
      [c.qualification, false],
    ] as const) {
      if (!ref.refers) continue;
      const on = eq(ref.refers, ref.column);
      query = inner ? query.innerJoin(tableOf(ref.refers), on) : query.leftJoin(tableOf(ref.refers), on);
    }
    return query;
  };
  const credentialOrder = [issued.order, asc(credentialId)];

  const date = (field: DateField, raw: unknown) => readDate(field, raw);
  const toCredential = (r: CredentialRow): CredentialRecord | Error => {
    const id = globalOf(code, r.id);
    const bad = (problem: string) => invalidRecord(code, id, problem);
    const state = stateOf.get(String(r.state));
    if (!state) return bad(`unknown state ${JSON.stringify(r.state)}`);
    if (r.qualification === null)
      return bad(`qualification ${JSON.stringify(r.qualificationStored)} does not exist`);
    if (r.holder === null) return bad(`holder ${JSON.stringify(r.holderStored)} does not exist`);
    const validFrom = date(c.validFrom, r.validFrom);
    if (!validFrom) return bad(`${c.validFrom.column.name} ${JSON.stringify(r.validFrom)} is not a date`);
    const validUntil = date(c.validUntil, r.validUntil);
    if (validUntil === undefined)
      return bad(`${c.validUntil.column.name} ${JSON.stringify(r.validUntil)} is not a date`);
    if (validUntil !== null && validUntil < validFrom)
      return bad(`it expires on ${validUntil}, before it was issued on ${validFrom}`);
    return {
      id,
      municipality: code,
      holderId: globalOf(code, String(r.holder)),
      qualificationId: globalOf(code, String(r.qualification)),
      state,
      validFrom,
      validUntil,
    };
  };
  const validOnly = <K>(rows: { key: K; value: CredentialRecord | Error }[]) =>
    rows.filter((x): x is { key: K; value: CredentialRecord } => !(x.value instanceof Error));

  const employer = isMissing(p.employer) ? {} : { employer: p.employer };
  const placementColumns = {
    id: placementId,
    day: started.sortDay,
    credential: p.credential,
    ...employer,
    iscoCode: p.iscoCode,
    startDate: p.startDate.column,
    endDate: p.endDate.column,
  };
  const toPlacement = (r: Record<string, unknown>): PlacementRecord | Error => {
    const id = globalOf(code, String(r.id));
    const bad = (problem: string) => invalidRecord(code, id, problem);
    const credentialId = String(r.credential);
    if (!parseGlobalId(credentialId))
      return bad(`credential reference ${JSON.stringify(r.credential)} is not a global id`);
    const startDate = date(p.startDate, r.startDate);
    if (!startDate) return bad(`${p.startDate.column.name} ${JSON.stringify(r.startDate)} is not a date`);
    const endDate = date(p.endDate, r.endDate);
    if (endDate === undefined)
      return bad(`${p.endDate.column.name} ${JSON.stringify(r.endDate)} is not a date`);
    if (endDate !== null && endDate < startDate) return bad(`it ends on ${endDate}, before ${startDate}`);
    return {
      id,
      municipality: code,
      employer: isMissing<null>(p.employer) ? p.employer.missing : String(r.employer),
      iscoCode: String(r.iscoCode),
      startDate,
      endDate,
      credentialId,
    };
  };

  /** Rows after a (day, municipality, local id) position in the (day, id) order of one municipality. */
  const keysetAfter = (dates: DateSql, id: SQL, after: SortKey | null): SQL | undefined => {
    if (!after) return undefined;
    const [day, municipality, local] = after.map(String) as [string, string, string];
    if (code > municipality) return or(dates.later(day), dates.same(day));
    if (code < municipality) return dates.later(day);
    return or(dates.later(day), and(dates.same(day), sql`${id} > ${local}`));
  };
  async function page<T>(
    request: PageRequest,
    table: Table,
    rows: () => AnyDatabase,
    dates: DateSql,
    id: SQL<string>,
    toRecord: (r: Record<string, unknown>) => T | Error,
  ): Promise<Page<T>> {
    if (!inScope(code, request.municipalities) || request.first < 0)
      return { items: [], hasMore: false, total: 0 };
    const [found, totals] = await Promise.all([
      request.first === 0
        ? Promise.resolve([])
        : rows()
            .where(keysetAfter(dates, id, request.after))
            .orderBy(dates.order, asc(id))
            .limit(request.first + 1),
      db.select({ n: count() }).from(table),
    ]);
    const list = found as (Record<string, unknown> & { id: string; day: string })[];
    return {
      items: list.slice(0, request.first).map((r) => ({
        record: toRecord(r),
        key: pageKey(r.day, code, String(r.id)),
      })),
      hasMore: list.length > request.first,
      total: Number(totals[0]?.n ?? 0),
    };
  }

  /** The WHERE of every flow statement: readable start dates, then the query's filters. */
  const flowFilter = (query: FlowQuery) =>
    and(
      sql`${started.day} IS NOT NULL`,
      query.from ? inArray(d.issuerOf(p.credential), [...query.from]) : undefined,
      query.iscoPrefix ? like(p.iscoCode, `${query.iscoPrefix}%`) : undefined,
      query.startFrom ? started.atLeast(query.startFrom) : undefined,
      query.startTo ? started.atMost(query.startTo) : undefined,
    );
  const uses = async (query: FlowQuery): Promise<PlacementUse[]> => {
    const rows = await db
      .select({ credentialId: p.credential, startDate: started.day, placements: count() })
      .from(p.table)
      .where(flowFilter(query))
      .groupBy(p.credential, started.day);
    return (rows as PlacementUse[]).map((r) => ({ ...r, to: code, placements: Number(r.placements) }));
  };

  const h = m.holder;
  const q = m.qualification;
  const holderFilter = c.holder.refers && c.holder.id ? c.holder.id : c.holder.column;
  const reads: Omit<RegisterReads, 'flowCredentialsUsed' | 'placementRecognitionGroups'> = {
    municipalities: [code],

    credentialsByIds: (ids) =>
      byLocalIds(
        code,
        ids,
        (locals) => {
          const where = whereIds(c.id, locals);
          return where ? selectCredentials().where(where) : Promise.resolve([]);
        },
        (r: CredentialRow) => r.id,
        toCredential,
      ),

    async credentialsByHolderIds(holderIds) {
      const stored = localIdsOf(code, holderIds)
        .map((l) => storedValue(holderFilter, l))
        .filter((v) => v !== null);
      if (stored.length === 0) return holderIds.map(() => []);
      const rows: CredentialRow[] = await selectCredentials()
        .where(inArray(holderFilter, stored))
        .orderBy(...credentialOrder);
      return groupRows(
        holderIds,
        validOnly(rows.map((r) => ({ key: globalOf(code, String(r.holder)), value: toCredential(r) }))),
      );
    },

    async credentialsByRegionalHolderIds(rhids, municipalities) {
      if (rhids.length === 0 || !inScope(code, municipalities)) return rhids.map(() => []);
      let query = selectCredentials({ rhid: h.regionalHolderId }, true);
      if (tableOf(h.regionalHolderId) !== c.table && !c.holder.refers)
        query = query.innerJoin(h.table, eq(h.id, c.holder.column));
      const rows: (CredentialRow & { rhid: string })[] = await query
        .where(inArray(h.regionalHolderId, [...rhids]))
        .orderBy(...credentialOrder);
      return groupRows(rhids, validOnly(rows.map((r) => ({ key: r.rhid, value: toCredential(r) }))));
    },

    credentialPage: (request) =>
      page(
        request,
        c.table,
        () => selectCredentials(),
        issued,
        credentialId,
        (r) => toCredential(r as CredentialRow),
      ),

    holdersByIds: (ids) =>
      byLocalIds(
        code,
        ids,
        (locals) => {
          const where = whereIds(h.id, locals);
          if (!where) return Promise.resolve([]);
          const names = fieldColumns('name', h.displayName);
          if (!h.onCredentialRows)
            return db
              .select({ id: h.id, ...names, rhid: h.regionalHolderId })
              .from(h.table)
              .where(where);
          const name = names.name as Column;
          // A holder kept on each credential row: rows that disagree make the holder invalid.
          return db
            .select({
              id: h.id,
              name: max(name),
              rhid: max(h.regionalHolderId),
              variants: sql<number>`COUNT(DISTINCT ${d.concat(name, '|', h.regionalHolderId)})`,
            })
            .from(h.table)
            .where(where)
            .groupBy(h.id);
        },
        (r: { id: unknown }) => String(r.id),
        (r: Record<string, unknown>): HolderRecord | Error => {
          const id = globalOf(code, String(r.id));
          if (Number(r.variants ?? 1) > 1)
            return invalidRecord(code, id, 'its rows disagree on name or regional holder id');
          const name = readField('name', h.displayName, r);
          if ('problem' in name) return invalidRecord(code, id, name.problem);
          return { id, municipality: code, displayName: name.value, regionalHolderId: String(r.rhid) };
        },
      ),

    qualificationsByIds: (ids) =>
      byLocalIds(
        code,
        ids,
        (locals) => {
          const where = whereIds(q.id, locals);
          const columns: Record<string, Column> = { id: q.id };
          for (const key of ['code', 'title', 'eqfLevel', 'iscoCode'] as const)
            Object.assign(columns, fieldColumns(key, q[key]));
          return where ? db.select(columns).from(q.table).where(where) : Promise.resolve([]);
        },
        (r: Record<string, unknown>) => String(r.id),
        (r): QualificationRecord | Error => {
          const id = globalOf(code, String(r.id));
          const read = {
            code: readField('code', q.code, r),
            title: readField('title', q.title, r),
            eqfLevel: readField('eqfLevel', q.eqfLevel, r),
            iscoCode: readField('iscoCode', q.iscoCode, r),
          };
          for (const value of Object.values(read))
            if ('problem' in value) return invalidRecord(code, id, value.problem);
          const v = read as { [K in keyof typeof read]: { value: never } };
          return {
            id,
            municipality: code,
            code: String(v.code.value),
            title: String(v.title.value),
            eqfLevel: v.eqfLevel.value === null ? null : Number(v.eqfLevel.value),
            iscoCode: v.iscoCode.value === null ? null : String(v.iscoCode.value),
          };
        },
      ),

    placementsByIds: (ids) =>
      byLocalIds(
        code,
        ids,
        (locals) => {
          const where = whereIds(p.id, locals);
          return where ? db.select(placementColumns).from(p.table).where(where) : Promise.resolve([]);
        },
        (r: Record<string, unknown>) => String(r.id),
        toPlacement,
      ),

    placementPage: (request) =>
      page(
        request,
        p.table,
        () => db.select(placementColumns).from(p.table),
        started,
        placementId,
        toPlacement,
      ),

    async placementFlows(query) {
      if (!inScope(code, query.to)) return [];
      const origin = d.issuerOf(p.credential);
      const period = d.period(started.day as SQL, query.granularity);
      const rows = await db
        .select({ from: origin, iscoCode: p.iscoCode, period, placements: count() })
        .from(p.table)
        .where(flowFilter(query))
        .groupBy(origin, p.iscoCode, period);
      return (rows as { from: string; iscoCode: string; period: string; placements: unknown }[]).map((r) => ({
        ...r,
        to: code,
        placements: Number(r.placements),
      }));
    },

    async verificationHashesByIds(ids) {
      const hash = c.verificationHash;
      if (isMissing(hash)) return ids.map(() => null);
      const hashes = await byLocalIds(
        code,
        ids,
        (locals) => {
          const where = whereIds(c.id, locals);
          return where
            ? db.select({ id: credentialId, hash }).from(c.table).where(where)
            : Promise.resolve([]);
        },
        (r: { id: string; hash?: unknown }) => r.id,
        (r: { id: string; hash?: unknown }) => r.hash,
      );
      return hashes.map((x) => (typeof x === 'string' ? x : null));
    },

    close,
  };
  return { ...reads, ...flowRecognitionFromUses([code], uses, reads) };
}
