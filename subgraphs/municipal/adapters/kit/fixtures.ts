// Test and demo records written through a mapping: generated ids turned into the register's own
// scheme (text as it is, a number, or year and number), rows in its columns, codes and date formats.
import { createHash } from 'node:crypto';
import { type Column, eq, getTableColumns, sql, type Table } from 'drizzle-orm';
import type { RegionData } from '../../../../common/region-records';
import { writeDates } from './dates';
import { idColumns, localIdOf, parseLocalId } from './ids';
import {
  type Field,
  type IdSpec,
  isMissing,
  type Missing,
  type Reference,
  type RegisterMapping,
} from './mapping';
import { type AnyDatabase, tableOf } from './reads';

type Records = Pick<RegionData, 'qualifications' | 'holders' | 'credentials' | 'placements'>;

/** Generated local id → the register's local id, per record kind. */
export interface FixtureIds {
  credential: Map<string, string>;
  holder: Map<string, string>;
  qualification: Map<string, string>;
  placement: Map<string, string>;
}

const isNumeric = (c: Column) => c.dataType === 'number' || c.dataType === 'bigint';

function translate(spec: IdSpec, generated: string, firstDay: string, perYear: Map<number, number>): string {
  const columns = idColumns(spec);
  const [first, second] = columns as [Column, Column | undefined];
  if (columns.length === 1)
    return isNumeric(first) ? String(Number(generated.replace(/\D/g, ''))) : generated;
  if (columns.length === 2 && second && isNumeric(first) && isNumeric(second)) {
    const year = Number(firstDay.slice(0, 4));
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    return localIdOf(spec, [year, n]);
  }
  throw new Error('fixtures know text, numeric and (year, number) ids');
}

/** The register's ids for a municipality's generated records, as a seed through the mapping writes them. */
export function fixtureIds(m: RegisterMapping, r: Records): FixtureIds {
  const map = <T extends { localId: string }>(spec: IdSpec, list: readonly T[], day: (t: T) => string) => {
    const perYear = new Map<number, number>();
    return new Map(list.map((t) => [t.localId, translate(spec, t.localId, day(t), perYear)]));
  };
  return {
    credential: map(m.credential.id, r.credentials, (c) => c.validFrom),
    holder: map(m.holder.id, r.holders, () => ''),
    qualification: map(m.qualification.id, r.qualifications, () => ''),
    placement: map(m.placement.id, r.placements, (p) => p.startDate),
  };
}

/** A global id of `code` in the register's scheme; other municipalities' ids are left as they are. */
export function fixtureCredentialRef(ids: FixtureIds, code: string, globalId: string): string {
  const [owner, local] = globalId.split(':') as [string, string];
  return owner === code ? `${owner}:${ids.credential.get(local) ?? local}` : globalId;
}

function keyed(table: Table, pairs: readonly [Column, unknown][]): Record<string, unknown> {
  const keys = new Map(Object.entries(getTableColumns(table)).map(([k, c]) => [c as Column, k]));
  return Object.fromEntries(pairs.map(([c, v]) => [keys.get(c) ?? c.name, v]));
}

/** The (column, stored value) pairs of one field of a record. */
function fieldPairs(
  field: Field<unknown> | Missing<unknown>,
  value: unknown,
  record: unknown,
): [Column, unknown][] {
  if (isMissing(field)) return [];
  if (!('read' in field)) return [[field, value]];
  if (!field.write)
    throw new Error('a converted field needs write() for fixtures written through the mapping');
  const stored = field.write(record);
  if ('columns' in field) return field.columns.map((c, i) => [c, (stored as unknown[])[i]]);
  return [[field.column, stored]];
}

const idPairs = (spec: IdSpec, local: string): [Column, unknown][] => {
  const values = parseLocalId(spec, local) ?? [];
  return idColumns(spec).map((c, i) => [c, values[i]]);
};

async function insertAll(m: RegisterMapping, db: AnyDatabase, table: Table, rows: Record<string, unknown>[]) {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = db.insert(table).values(rows.slice(i, i + 500));
    await (m.dialect === 'sqlite' ? chunk.run() : chunk);
  }
}

/** A record's municipality in a shared register, and its surrogate key where the register does not generate it. */
function ownerPairs(
  column: Column | undefined,
  code: string,
  ref: Reference,
  table: Table,
  id: string,
): [Column, unknown][] {
  const pairs: [Column, unknown][] = column ? [[column, code]] : [];
  if (ref.refers && ref.newKey && tableOf(ref.refers) === table) pairs.push([ref.refers, ref.newKey(id)]);
  return pairs;
}

/** Writes a municipality's generated records into an empty register through its mapping. */
export async function seedThroughMapping(m: RegisterMapping, db: AnyDatabase, r: Records, code: string) {
  const ids = fixtureIds(m, r);
  const { credential: c, holder: h, qualification: q, placement: p } = m;
  const local = (map: Map<string, string>, id: string) => map.get(id) ?? id;
  const own = m.shared;
  await insertAll(
    m,
    db,
    q.table,
    r.qualifications.map((x) => {
      const record = { ...x, id: local(ids.qualification, x.localId) };
      return keyed(q.table, [
        ...idPairs(q.id, record.id),
        ...ownerPairs(own?.qualification, code, c.qualification, q.table, record.id),
        ...fieldPairs(q.code, x.code, record),
        ...fieldPairs(q.title, x.title, record),
        ...fieldPairs(q.eqfLevel, x.eqfLevel, record),
        ...fieldPairs(q.iscoCode, x.iscoCode, record),
      ]);
    }),
  );
  const holders = new Map(r.holders.map((x) => [x.localId, x]));
  if (!h.onCredentialRows)
    await insertAll(
      m,
      db,
      h.table,
      r.holders.map((x) =>
        keyed(h.table, [
          ...idPairs(h.id, local(ids.holder, x.localId)),
          ...ownerPairs(own?.holder, code, c.holder, h.table, local(ids.holder, x.localId)),
          ...fieldPairs(h.displayName, x.displayName, x),
          [h.regionalHolderId, x.regionalHolderId],
        ]),
      ),
    );
  /** What a reference column stores: the referenced id, or its surrogate key read back in one statement. */
  const storedBy = async (ref: Reference, mun: Column | undefined) => {
    if (!ref.refers || !ref.id || ref.id === ref.refers)
      return (id: string) => (parseLocalId(ref.column, id) ?? [id])[0];
    const rows: { key: unknown; id: unknown }[] = await db
      .select({ key: ref.refers, id: ref.id })
      .from(tableOf(ref.refers))
      .where(mun ? eq(mun, code) : undefined);
    const byId = new Map(rows.map((row) => [String(row.id), row.key]));
    return (id: string) => byId.get(id);
  };
  const holderKey = await storedBy(c.holder, own?.holder);
  const qualificationKey = await storedBy(c.qualification, own?.qualification);
  await insertAll(
    m,
    db,
    c.table,
    r.credentials.map((x) => {
      const holder = holders.get(x.holderLocalId);
      const pairs: [Column, unknown][] = [
        ...idPairs(c.id, local(ids.credential, x.localId)),
        ...(own ? [[own.credential, code] as [Column, unknown]] : []),
        [c.holder.column, holderKey(local(ids.holder, x.holderLocalId))],
        [c.qualification.column, qualificationKey(local(ids.qualification, x.qualificationLocalId))],
        [c.state.column, c.state.codes[x.status]],
        ...writeDates(c.validFrom, c.validUntil, x.validFrom, x.validUntil),
      ];
      if (!isMissing(c.verificationHash))
        pairs.push([c.verificationHash, createHash('sha256').update(x.verificationCode).digest('hex')]);
      if (h.onCredentialRows && h.table === c.table)
        pairs.push(...fieldPairs(h.displayName, holder?.displayName, holder), [
          h.regionalHolderId,
          holder?.regionalHolderId,
        ]);
      const contractHolder = {
        id: `${code}:${x.holderLocalId}`,
        municipality: code,
        displayName: holder?.displayName ?? '',
        regionalHolderId: holder?.regionalHolderId ?? '',
      };
      return {
        ...keyed(c.table, pairs),
        ...c.extra?.({ holder: contractHolder, clerk: 'fixtures', input: {} as never }),
      };
    }),
  );
  await insertAll(
    m,
    db,
    p.table,
    r.placements.map((x) => {
      const pairs: [Column, unknown][] = [
        ...idPairs(p.id, local(ids.placement, x.localId)),
        ...(own ? [[own.placement, code] as [Column, unknown]] : []),
        [p.credential, fixtureCredentialRef(ids, code, x.credentialId)],
        [p.iscoCode, x.iscoCode],
        ...writeDates(p.startDate, p.endDate, x.startDate, x.endDate),
      ];
      if (!isMissing(p.employer)) pairs.push([p.employer, x.employer]);
      return keyed(p.table, pairs);
    }),
  );
  // Ids written explicitly leave a sequence behind them: move it past the highest.
  if (m.dialect === 'postgresql')
    for (const [spec, table, rule] of [
      [c.id, c.table, c.allocate],
      [p.id, p.table, p.allocate],
    ] as const) {
      if (rule.kind !== 'sequence') continue;
      const column = idColumns(spec)[0] as Column;
      await db.execute(
        sql`SELECT setval(pg_get_serial_sequence(${qualifiedTable(table)}, ${column.name}), (SELECT max(${column}) FROM ${table}))`,
      );
    }
}

/** "schema"."table" as pg_get_serial_sequence reads it. */
export function qualifiedTable(table: Table): string {
  const t = table as unknown as Record<symbol, string | undefined>;
  const schema = t[Symbol.for('drizzle:Schema')];
  return `${schema ? `"${schema}".` : ''}"${t[Symbol.for('drizzle:Name')]}"`;
}
