// The reads of any mapped register: batch lookups, keyset pages, flow GROUP BYs and verification
// hashes, each one SQL statement (two for a page), built from its mapping; a shared register serves
// each municipality named by its municipality columns.
import {
  and,
  asc,
  type Column,
  count,
  eq,
  gt,
  inArray,
  like,
  max,
  or,
  type SQL,
  sql,
  type Table,
} from 'drizzle-orm';
import { parseGlobalId } from '../../../../schema/ids';
import { codesInScope } from '../../../../schema/scope';
import type {
  CredentialRecord,
  FlowQuery,
  HolderRecord,
  Loaded,
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
import { globalOf, groupRows, inRequestOrder, localIdsOf, pageKey } from '../register-keys-and-dates';
import { readDate } from './dates';
import { type DateSql, DIALECT_SQL, dateSql } from './dialect-sql';
import { idSql, whereIds } from './ids';
import {
  type DateField,
  type Field,
  type IdSpec,
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

/** Reads for `codes`: one municipality, or those a shared register (`m.shared`) serves. */
export function createMappedReads(
  m: RegisterMapping,
  db: AnyDatabase,
  codes: readonly string[],
  close: () => Promise<void>,
): RegisterReads {
  const own = m.shared;
  const [code] = codes as [string];
  if (!own && codes.length !== 1) throw new Error(`${m.name} holds one municipality, not ${codes.join('+')}`);
  /** The municipality of a row: its municipality column where the register is shared. */
  const munOf = (r: Record<string, unknown>) => (own ? String(r.mun) : code);
  const munColumn = (column: Column | undefined): Record<string, Column> => (column ? { mun: column } : {});
  /** The rows of the municipalities in `scope` (all of a one-municipality register's rows). */
  const within = (column: Column | undefined, scope: readonly string[]) =>
    column ? inArray(column, [...scope]) : undefined;
  const served = (requested: readonly string[] | null) => codesInScope(codes, requested);

  /** WHERE matching a batch of global ids of the served municipalities, in one statement. */
  function whereGlobal(spec: IdSpec, mun: Column | undefined, ids: readonly string[]): SQL | undefined {
    const clauses = codes.flatMap((owner) => {
      const where = whereIds(spec, localIdsOf(owner, ids));
      if (!where) return [];
      return [mun ? (and(eq(mun, owner), where) as SQL) : where];
    });
    return clauses.length > 1 ? or(...clauses) : clauses[0];
  }
  /** A batch of global ids read with one statement, in request order (null where no row). */
  async function byGlobalIds<Row extends Record<string, unknown>, T>(
    ids: readonly string[],
    spec: IdSpec,
    mun: Column | undefined,
    select: (where: SQL) => Promise<Row[]>,
    toRecord: (row: Row) => T | Error,
  ): Promise<Loaded<T>[]> {
    const where = whereGlobal(spec, mun, ids);
    if (!where) return ids.map(() => null);
    const rows = await select(where);
    return inRequestOrder(ids, new Map(rows.map((r) => [globalOf(munOf(r), String(r.id)), toRecord(r)])));
  }

  const d = DIALECT_SQL[m.dialect];
  const c = m.credential;
  const p = m.placement;
  const credentialId = idSql(m.dialect, c.id);
  const placementId = idSql(m.dialect, p.id);
  const issued = dateSql(m.dialect, c.validFrom);
  const started = dateSql(m.dialect, p.startDate);
  const checksOrder = m.endBeforeStart !== 'kept';
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
    ...munColumn(own?.credential),
  };
  type CredentialRow = Record<keyof typeof credentialColumns | 'mun', unknown> & { id: string; day: string };
  /** Credentials with what they refer to left-joined, so a dangling reference is seen. */
  const selectCredentials = (extra: Record<string, unknown> = {}, innerHolder = false) => {
    let query = db.select({ ...credentialColumns, ...extra }).from(c.table);
    for (const [ref, inner, mun] of [
      [c.holder, innerHolder, own?.holder],
      [c.qualification, false, own?.qualification],
    ] as const) {
      if (!ref.refers) continue;
      const on = and(eq(ref.refers, ref.column), own && mun ? eq(mun, own.credential) : undefined);
      query = inner ? query.innerJoin(tableOf(ref.refers), on) : query.leftJoin(tableOf(ref.refers), on);
    }
    return query;
  };
  const credentialOrder = [issued.order, ...(own ? [asc(own.credential)] : []), asc(credentialId)];

  const date = (field: DateField, raw: unknown) => readDate(field, raw);
  const toCredential = (r: CredentialRow): CredentialRecord | Error => {
    const mun = munOf(r);
    const id = globalOf(mun, r.id);
    const bad = (problem: string) => invalidRecord(mun, id, problem);
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
    if (checksOrder && validUntil !== null && validUntil < validFrom)
      return bad(`it expires on ${validUntil}, before it was issued on ${validFrom}`);
    return {
      id,
      municipality: mun,
      holderId: globalOf(mun, String(r.holder)),
      qualificationId: globalOf(mun, String(r.qualification)),
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
    ...munColumn(own?.placement),
  };
  const toPlacement = (r: Record<string, unknown>): PlacementRecord | Error => {
    const mun = munOf(r);
    const id = globalOf(mun, String(r.id));
    const bad = (problem: string) => invalidRecord(mun, id, problem);
    const credentialId = String(r.credential);
    if (!parseGlobalId(credentialId))
      return bad(`credential reference ${JSON.stringify(r.credential)} is not a global id`);
    const startDate = date(p.startDate, r.startDate);
    if (!startDate) return bad(`${p.startDate.column.name} ${JSON.stringify(r.startDate)} is not a date`);
    const endDate = date(p.endDate, r.endDate);
    if (endDate === undefined)
      return bad(`${p.endDate.column.name} ${JSON.stringify(r.endDate)} is not a date`);
    if (checksOrder && endDate !== null && endDate < startDate)
      return bad(`it ends on ${endDate}, before ${startDate}`);
    return {
      id,
      municipality: mun,
      employer: isMissing<null>(p.employer) ? p.employer.missing : String(r.employer),
      iscoCode: String(r.iscoCode),
      startDate,
      endDate,
      credentialId,
    };
  };

  /** Rows after a (day, municipality, local id) position, in that order. */
  const keysetAfter = (
    dates: DateSql,
    id: SQL,
    mun: Column | undefined,
    after: SortKey | null,
  ): SQL | undefined => {
    if (!after) return undefined;
    const [day, municipality, local] = after.map(String) as [string, string, string];
    if (mun) {
      const tie = or(gt(mun, municipality), and(eq(mun, municipality), sql`${id} > ${local}`));
      return or(dates.later(day), and(dates.same(day), tie));
    }
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
    mun: Column | undefined,
    toRecord: (r: Record<string, unknown>) => T | Error,
  ): Promise<Page<T>> {
    const scope = served(request.municipalities);
    if (scope.length === 0 || request.first < 0) return { items: [], hasMore: false, total: 0 };
    const [found, totals] = await Promise.all([
      request.first === 0
        ? Promise.resolve([])
        : rows()
            .where(and(within(mun, scope), keysetAfter(dates, id, mun, request.after)))
            .orderBy(dates.order, ...(mun ? [asc(mun)] : []), asc(id))
            .limit(request.first + 1),
      db.select({ n: count() }).from(table).where(within(mun, scope)),
    ]);
    const list = found as (Record<string, unknown> & { id: string; day: string })[];
    return {
      items: list.slice(0, request.first).map((r) => ({
        record: toRecord(r),
        key: pageKey(r.day, munOf(r), String(r.id)),
      })),
      hasMore: list.length > request.first,
      total: Number(totals[0]?.n ?? 0),
    };
  }

  /** The WHERE of every flow statement: destinations in scope, readable start dates, the query's filters. */
  const flowFilter = (query: FlowQuery) =>
    and(
      within(own?.placement, served(query.to)),
      started.readable ?? sql`${started.day} IS NOT NULL`,
      query.from ? inArray(d.issuerOf(p.credential), [...query.from]) : undefined,
      query.iscoPrefix ? like(p.iscoCode, `${query.iscoPrefix}%`) : undefined,
      query.startFrom ? started.atLeast(query.startFrom) : undefined,
      query.startTo ? started.atMost(query.startTo) : undefined,
    );
  const uses = async (query: FlowQuery): Promise<PlacementUse[]> => {
    const mun = munColumn(own?.placement);
    const rows = await db
      .select({ credentialId: p.credential, startDate: started.day, placements: count(), ...mun })
      .from(p.table)
      .where(flowFilter(query))
      .groupBy(p.credential, started.day, ...Object.values(mun));
    return (rows as Record<string, unknown>[]).map((r) => ({
      credentialId: String(r.credentialId),
      startDate: String(r.startDate),
      to: munOf(r),
      placements: Number(r.placements),
    }));
  };

  const h = m.holder;
  const q = m.qualification;
  const holderFilter = c.holder.refers && c.holder.id ? c.holder.id : c.holder.column;
  const reads: Omit<RegisterReads, 'flowCredentialsUsed' | 'placementRecognitionGroups'> = {
    municipalities: codes,

    credentialsByIds: (ids) =>
      byGlobalIds(ids, c.id, own?.credential, (where) => selectCredentials().where(where), toCredential),

    async credentialsByHolderIds(holderIds) {
      const where = whereGlobal(holderFilter, own?.credential, holderIds);
      if (!where) return holderIds.map(() => []);
      const rows: CredentialRow[] = await selectCredentials()
        .where(where)
        .orderBy(...credentialOrder);
      return groupRows(
        holderIds,
        validOnly(rows.map((r) => ({ key: globalOf(munOf(r), String(r.holder)), value: toCredential(r) }))),
      );
    },

    async credentialsByRegionalHolderIds(rhids, municipalities) {
      const scope = served(municipalities);
      if (rhids.length === 0 || scope.length === 0) return rhids.map(() => []);
      let query = selectCredentials({ rhid: h.regionalHolderId }, true);
      if (tableOf(h.regionalHolderId) !== c.table && !c.holder.refers)
        query = query.innerJoin(
          h.table,
          and(eq(h.id, c.holder.column), own ? eq(own.holder, own.credential) : undefined),
        );
      const rows: (CredentialRow & { rhid: string })[] = await query
        .where(and(inArray(h.regionalHolderId, [...rhids]), within(own?.credential, scope)))
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
        own?.credential,
        (r) => toCredential(r as CredentialRow),
      ),

    holdersByIds: (ids) =>
      byGlobalIds(
        ids,
        h.id,
        own?.holder,
        (where) => {
          const names = fieldColumns('name', h.displayName);
          const mun = munColumn(own?.holder);
          if (!h.onCredentialRows)
            return db
              .select({ id: h.id, ...names, rhid: h.regionalHolderId, ...mun })
              .from(h.table)
              .where(where);
          const name = names.name as Column;
          // A holder kept on each credential row: rows that disagree make the holder invalid.
          return db
            .select({
              id: h.id,
              ...mun,
              name: max(name),
              rhid: max(h.regionalHolderId),
              variants: sql<number>`COUNT(DISTINCT ${d.concat(name, '|', h.regionalHolderId)})`,
            })
            .from(h.table)
            .where(where)
            .groupBy(h.id, ...Object.values(mun));
        },
        (r: Record<string, unknown>): HolderRecord | Error => {
          const mun = munOf(r);
          const id = globalOf(mun, String(r.id));
          if (Number(r.variants ?? 1) > 1)
            return invalidRecord(mun, id, 'its rows disagree on name or regional holder id');
          const name = readField('name', h.displayName, r);
          if ('problem' in name) return invalidRecord(mun, id, name.problem);
          return { id, municipality: mun, displayName: name.value, regionalHolderId: String(r.rhid) };
        },
      ),

    qualificationsByIds: (ids) =>
      byGlobalIds(
        ids,
        q.id,
        own?.qualification,
        (where) => {
          const columns: Record<string, Column> = { id: q.id, ...munColumn(own?.qualification) };
          for (const key of ['code', 'title', 'eqfLevel', 'iscoCode'] as const)
            Object.assign(columns, fieldColumns(key, q[key]));
          return db.select(columns).from(q.table).where(where);
        },
        (r): QualificationRecord | Error => {
          const mun = munOf(r);
          const id = globalOf(mun, String(r.id));
          const read = {
            code: readField('code', q.code, r),
            title: readField('title', q.title, r),
            eqfLevel: readField('eqfLevel', q.eqfLevel, r),
            iscoCode: readField('iscoCode', q.iscoCode, r),
          };
          for (const value of Object.values(read))
            if ('problem' in value) return invalidRecord(mun, id, value.problem);
          const v = read as { [K in keyof typeof read]: { value: never } };
          return {
            id,
            municipality: mun,
            code: String(v.code.value),
            title: String(v.title.value),
            eqfLevel: v.eqfLevel.value === null ? null : Number(v.eqfLevel.value),
            iscoCode: v.iscoCode.value === null ? null : String(v.iscoCode.value),
          };
        },
      ),

    placementsByIds: (ids) =>
      byGlobalIds(
        ids,
        p.id,
        own?.placement,
        (where) => db.select(placementColumns).from(p.table).where(where),
        toPlacement,
      ),

    placementPage: (request) =>
      page(
        request,
        p.table,
        () => db.select(placementColumns).from(p.table),
        started,
        placementId,
        own?.placement,
        toPlacement,
      ),

    async placementFlows(query) {
      if (served(query.to).length === 0) return [];
      const origin = d.issuerOf(p.credential);
      const period = started.period?.(query.granularity) ?? d.period(started.day as SQL, query.granularity);
      const mun = munColumn(own?.placement);
      const rows = await db
        .select({ from: origin, iscoCode: p.iscoCode, period, placements: count(), ...mun })
        .from(p.table)
        .where(flowFilter(query))
        .groupBy(origin, p.iscoCode, period, ...Object.values(mun));
      return (rows as Record<string, unknown>[]).map((r) => ({
        from: String(r.from),
        to: munOf(r),
        iscoCode: String(r.iscoCode),
        period: String(r.period),
        placements: Number(r.placements),
      }));
    },

    async verificationHashesByIds(ids) {
      const hash = c.verificationHash;
      if (isMissing(hash)) return ids.map(() => null);
      const hashes = await byGlobalIds(
        ids,
        c.id,
        own?.credential,
        (where) =>
          db
            .select({ id: credentialId, hash, ...munColumn(own?.credential) })
            .from(c.table)
            .where(where),
        (r) => r.hash,
      );
      return hashes.map((x) => (typeof x === 'string' ? x : null));
    },

    close,
  };
  return { ...reads, ...flowRecognitionFromUses(codes, uses, reads) };
}
