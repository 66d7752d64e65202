// The native adapter: MunicipalStore over the reference schema, on PGlite or PostgreSQL.

import { and, asc, count, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { globalId, parseGlobalId } from '../../../../schema/ids';
import { codesInScope } from '../../../../schema/scope';
import type {
  CredentialRecord,
  HolderRecord,
  Loaded,
  MunicipalStore,
  Page,
  PageRequest,
  PlacementRecord,
  QualificationRecord,
  RecordedStatus,
} from '../../store';
import { invalidRecord } from '../invalid-record';
import type { NativeDatabase } from './database';
import { createNativeFlowRecognition, flowFilter, placementOrigin } from './flow-uses';
import { placementRecordOf } from './placement-row';
import { credential, holder, placement, qualification } from './schema';
import { createNativeWrites } from './transactional-writes';
import { createNativeVerificationRead } from './verification';

type KeyedTable = typeof credential | typeof holder | typeof qualification | typeof placement;

const STATES: Record<string, RecordedStatus> = {
  ACTIVE: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
  REVOKED: 'REVOKED',
};

/** WHERE clause matching a batch of global ids, grouped by owner. */
function byGlobalIds(table: KeyedTable, ids: readonly string[]): SQL | undefined {
  const byOwner = new Map<string, string[]>();
  for (const id of ids) {
    const parsed = parseGlobalId(id);
    if (!parsed) continue;
    const list = byOwner.get(parsed.municipality) ?? [];
    list.push(parsed.localId);
    byOwner.set(parsed.municipality, list);
  }
  const clauses = [...byOwner].map(([m, locals]) =>
    and(eq(table.municipality, m), inArray(table.localId, locals)),
  );
  return clauses.length === 0 ? undefined : or(...clauses);
}

function inOrder<T extends { id: string }>(
  ids: readonly string[],
  found: Loaded<T>[],
  idOf: (r: T | Error) => string,
) {
  const map = new Map<string, T | Error>();
  for (const r of found) if (r) map.set(idOf(r), r);
  return ids.map((id) => map.get(id) ?? null);
}

export function createNativeStore(db: NativeDatabase, municipalities: readonly string[]): MunicipalStore {
  const toCredential = (r: typeof credential.$inferSelect): CredentialRecord | Error => {
    const id = globalId(r.municipality, r.localId);
    const state = STATES[r.status];
    if (!state) return invalidRecord(r.municipality, id, `unknown status code '${r.status}'`);
    return {
      id,
      municipality: r.municipality,
      holderId: globalId(r.municipality, r.holderLocalId),
      qualificationId: globalId(r.municipality, r.qualificationLocalId),
      state,
      validFrom: r.validFrom,
      validUntil: r.validUntil,
    };
  };
  const credentialsOnly = (rows: (typeof credential.$inferSelect)[]) =>
    rows.map(toCredential).filter((c): c is CredentialRecord => !(c instanceof Error));
  const idOfError = (e: Error) => (e as Error & { recordId: string }).recordId;

  return {
    municipalities,
    ...createNativeWrites(db),
    ...createNativeFlowRecognition(db, municipalities),

    async credentialsByIds(ids) {
      const where = byGlobalIds(credential, ids);
      if (!where) return ids.map(() => null);
      const rows = await db.select().from(credential).where(where);
      return inOrder(ids, rows.map(toCredential), (r) => (r instanceof Error ? idOfError(r) : r.id));
    },

    async credentialsByHolderIds(holderIds) {
      const where = byGlobalIds(holder, holderIds);
      if (!where) return holderIds.map(() => []);
      const rows = await db
        .select()
        .from(credential)
        .where(
          or(
            ...holderIds.flatMap((h) => {
              const p = parseGlobalId(h);
              return p
                ? [and(eq(credential.municipality, p.municipality), eq(credential.holderLocalId, p.localId))]
                : [];
            }),
          ),
        )
        .orderBy(asc(credential.validFrom), asc(credential.municipality), asc(credential.localId));
      const byHolder = new Map<string, CredentialRecord[]>();
      for (const c of credentialsOnly(rows))
        byHolder.set(c.holderId, [...(byHolder.get(c.holderId) ?? []), c]);
      return holderIds.map((h) => byHolder.get(h) ?? []);
    },

    async credentialsByRegionalHolderIds(rhids, codes) {
      const scope = codesInScope(municipalities, codes);
      if (rhids.length === 0 || scope.length === 0) return rhids.map(() => []);
      const rows = await db
        .select({ c: credential, rhid: holder.regionalHolderId })
        .from(credential)
        .innerJoin(
          holder,
          and(eq(holder.municipality, credential.municipality), eq(holder.localId, credential.holderLocalId)),
        )
        .where(
          and(inArray(holder.regionalHolderId, [...rhids]), inArray(credential.municipality, [...scope])),
        )
        .orderBy(asc(credential.validFrom), asc(credential.municipality), asc(credential.localId));
      const byRhid = new Map<string, CredentialRecord[]>();
      for (const { c, rhid } of rows) {
        const mapped = toCredential(c);
        if (!(mapped instanceof Error)) byRhid.set(rhid, [...(byRhid.get(rhid) ?? []), mapped]);
      }
      return rhids.map((r) => byRhid.get(r) ?? []);
    },

    async credentialPage(request) {
      return page(
        db,
        credential,
        credential.validFrom,
        codesInScope(municipalities, request.municipalities),
        request,
        (r: typeof credential.$inferSelect) => ({
          record: toCredential(r),
          key: [r.validFrom, r.municipality, r.localId],
        }),
      );
    },

    async holdersByIds(ids) {
      const where = byGlobalIds(holder, ids);
      if (!where) return ids.map(() => null);
      const rows = await db.select().from(holder).where(where);
      const mapped: HolderRecord[] = rows.map((r) => ({
        id: globalId(r.municipality, r.localId),
        municipality: r.municipality,
        displayName: r.displayName,
        regionalHolderId: r.regionalHolderId,
      }));
      return inOrder(ids, mapped, (r) => (r instanceof Error ? idOfError(r) : r.id));
    },

    async qualificationsByIds(ids) {
      const where = byGlobalIds(qualification, ids);
      if (!where) return ids.map(() => null);
      const rows = await db.select().from(qualification).where(where);
      const mapped: QualificationRecord[] = rows.map((r) => ({
        id: globalId(r.municipality, r.localId),
        municipality: r.municipality,
        code: r.code,
        title: r.title,
        eqfLevel: r.eqfLevel,
        iscoCode: r.iscoCode,
      }));
      return inOrder(ids, mapped, (r) => (r instanceof Error ? idOfError(r) : r.id));
    },

    async placementsByIds(ids) {
      const where = byGlobalIds(placement, ids);
      if (!where) return ids.map(() => null);
      const rows = await db.select().from(placement).where(where);
      return inOrder(ids, rows.map(toPlacement), (r) => (r instanceof Error ? idOfError(r) : r.id));
    },

    async placementPage(request) {
      return page(
        db,
        placement,
        placement.startDate,
        codesInScope(municipalities, request.municipalities),
        request,
        (r: typeof placement.$inferSelect) => ({
          record: toPlacement(r),
          key: [r.startDate, r.municipality, r.localId],
        }),
      );
    },

    async placementFlows(query) {
      const scope = codesInScope(municipalities, query.to);
      if (scope.length === 0) return [];
      const origin = placementOrigin;
      const format = PERIOD_FORMAT[query.granularity];
      const period = sql<string>`to_char(${placement.startDate}, ${sql.raw(`'${format}'`)})`;
      const rows = await db
        .select({
          from: origin,
          to: placement.municipality,
          iscoCode: placement.iscoCode,
          period,
          placements: count(),
        })
        .from(placement)
        .where(flowFilter(query, scope))
        .groupBy(origin, placement.municipality, placement.iscoCode, period);
      return rows.map((r) => ({ ...r, placements: Number(r.placements) }));
    },

    verificationsByIds: createNativeVerificationRead(db, toCredential),

    async verificationHashesByIds(ids) {
      const where = byGlobalIds(credential, ids);
      if (!where) return ids.map(() => null);
      const rows = await db
        .select({ m: credential.municipality, l: credential.localId, h: credential.verificationHash })
        .from(credential)
        .where(where);
      const map = new Map(rows.map((r) => [globalId(r.m, r.l), r.h]));
      return ids.map((id) => map.get(id) ?? null);
    },

    async close() {},
  };
}

const PERIOD_FORMAT = { YEAR: 'YYYY', QUARTER: 'YYYY-"Q"Q', MONTH: 'YYYY-MM' } as const;

function toPlacement(r: typeof placement.$inferSelect): PlacementRecord | Error {
  if (!parseGlobalId(r.credentialId)) {
    const id = globalId(r.municipality, r.localId);
    return invalidRecord(r.municipality, id, `credential reference '${r.credentialId}' is not a global id`);
  }
  return placementRecordOf(r);
}

/** One keyset page ordered by (date, municipality, local id), plus the total, in two statements. */
async function page<Row extends { municipality: string; localId: string }, R>(
  db: NativeDatabase,
  table: typeof credential | typeof placement,
  dateColumn: typeof credential.validFrom | typeof placement.startDate,
  scope: readonly string[],
  request: PageRequest,
  map: (row: Row) => { record: R | Error; key: (string | number)[] },
): Promise<Page<R>> {
  if (scope.length === 0 || request.first < 0) return { items: [], hasMore: false, total: 0 };
  const scoped = inArray(table.municipality, [...scope]);
  const after = request.after
    ? sql`(${dateColumn}, ${table.municipality}, ${table.localId}) > (${String(request.after[0])}::date, ${String(request.after[1])}, ${String(request.after[2])})`
    : undefined;
  const [rows, totals] = await Promise.all([
    request.first === 0
      ? Promise.resolve([])
      : db
          .select()
          .from(table)
          .where(and(scoped, after))
          .orderBy(asc(dateColumn), asc(table.municipality), asc(table.localId))
          .limit(request.first + 1),
    db.select({ n: count() }).from(table).where(scoped),
  ]);
  return {
    items: (rows as unknown as Row[]).slice(0, request.first).map(map),
    hasMore: rows.length > request.first,
    total: totals[0]?.n ?? 0,
  };
}
