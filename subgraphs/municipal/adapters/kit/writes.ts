// The writes of any mapped register in its own shape: ids allocated its way, references resolved to
// what it stores, codes and dates converted, each insert or compare-and-set in one transaction.
import { and, type Column, eq, getTableColumns, max, type SQL, sql, type Table } from 'drizzle-orm';
import { crossgateError } from '../../../../schema/errors';
import { parseGlobalId } from '../../../../schema/ids';
import type { NewCredential, NewPlacement } from '../../store';
import type { RegisterReads, RegisterWriter } from '../adapter';
import { writeDates } from './dates';
import { DIALECT_SQL } from './dialect-sql';
import { qualifiedTable } from './fixtures';
import { idColumns, localIdOf, parseLocalId, storedValue } from './ids';
import { type IdAllocation, type IdSpec, isMissing, type Reference, type RegisterMapping } from './mapping';
import { type AnyDatabase, tableOf } from './reads';

const DUPLICATE_KEY = 1062;
const isDuplicate = (e: unknown) =>
  (e as { errno?: number }).errno === DUPLICATE_KEY ||
  (e as { cause?: { errno?: number } }).cause?.errno === DUPLICATE_KEY;

/** A row keyed by the table's property names, from (column, value) pairs. */
function rowOf(table: Table, pairs: readonly [Column, unknown][]): Record<string, unknown> {
  const keys = new Map(Object.entries(getTableColumns(table)).map(([k, col]) => [col as Column, k]));
  const row: Record<string, unknown> = {};
  for (const [column, value] of pairs) {
    const key = keys.get(column);
    if (!key) throw new Error(`column ${column.name} is not in table of the mapping`);
    row[key] = value;
  }
  return row;
}

const notFound = (id: string) => crossgateError('NOT_FOUND', `No record ${JSON.stringify(id.slice(0, 80))}`);
const localOf = (id: string) => parseGlobalId(id)?.localId ?? id;

/** Where one stored record is, by its local id. */
function idEquals(spec: IdSpec, local: string): SQL {
  const values = parseLocalId(spec, local);
  if (!values) return sql`1 = 0`;
  return and(...idColumns(spec).map((c, i) => eq(c, values[i]))) as SQL;
}

/** How each engine runs a write transaction, an insert that skips a taken key, and a counted update. */
interface Engine {
  transaction<T>(run: (tx: AnyDatabase) => Promise<T>): Promise<T>;
  insertOnce(tx: AnyDatabase, table: Table, row: Record<string, unknown>): Promise<boolean>;
  update(tx: AnyDatabase, table: Table, set: Record<string, unknown>, where: SQL): Promise<number>;
}

function engineOf(m: RegisterMapping, db: AnyDatabase): Engine {
  if (m.dialect === 'postgresql')
    return {
      // On PGlite the register's one session defaults to read-only: each write asks for read-write.
      transaction: (run) =>
        db.transaction(async (tx: AnyDatabase) => {
          await tx.execute(sql`SET TRANSACTION READ WRITE`);
          return run(tx);
        }),
      insertOnce: async (tx, table, row) =>
        (await tx.insert(table).values(row).onConflictDoNothing().returning()).length === 1,
      update: async (tx, table, set, where) =>
        (await tx.update(table).set(set).where(where).returning()).length,
    };
  if (m.dialect === 'mysql')
    return {
      transaction: (run) => db.transaction(run),
      async insertOnce(tx, table, row) {
        try {
          await tx.insert(table).values(row);
          return true;
        } catch (e) {
          if (isDuplicate(e)) return false;
          throw e;
        }
      },
      update: async (tx, table, set, where) => (await tx.update(table).set(set).where(where))[0].affectedRows,
    };
  // better-sqlite3 runs each statement synchronously on the owner's one connection.
  return {
    transaction: (run) => run(db),
    insertOnce: async (tx, table, row) =>
      tx.insert(table).values(row).onConflictDoNothing().run().changes === 1,
    update: async (tx, table, set, where) => tx.update(table).set(set).where(where).run().changes,
  };
}

/** The writer of municipality `code`'s records (in a shared register, the rows of its municipality columns). */
export function createMappedWriter(
  m: RegisterMapping,
  db: AnyDatabase,
  reads: RegisterReads,
  code: string,
): RegisterWriter {
  const engine = engineOf(m, db);
  const d = DIALECT_SQL[m.dialect];
  const c = m.credential;
  const p = m.placement;
  const own = m.shared;
  /** This municipality's rows of a shared register's table (every row of a register of one). */
  const mine = (column: Column | undefined) => (column ? eq(column, code) : undefined);
  const ownPairs = (column: Column | undefined): [Column, unknown][] => (column ? [[column, code]] : []);

  /** What the row stores for a referenced record: its id, or its surrogate key looked up. */
  async function resolve(tx: AnyDatabase, ref: Reference, globalId: string): Promise<unknown> {
    const local = localOf(globalId);
    if (!ref.refers || !ref.id || ref.id === ref.refers) {
      const value = storedValue(ref.column, local);
      if (value === null) throw notFound(globalId);
      return value;
    }
    const value = storedValue(ref.id, local);
    const mun = ref === c.holder ? own?.holder : own?.qualification;
    const [found] =
      value === null
        ? []
        : await tx
            .select({ key: ref.refers })
            .from(tableOf(ref.refers))
            .where(and(eq(ref.id, value), mine(mun)));
    if (!found) throw notFound(globalId);
    return found.key;
  }

  async function allocate(
    spec: IdSpec,
    table: Table,
    rule: IdAllocation,
    firstDay: string,
    reserved: readonly string[],
    mun: Column | undefined,
  ) {
    const [first, second] = idColumns(spec) as [Column, Column | undefined];
    if (rule.kind === 'max-plus-one') {
      const [row] = await db
        .select({ n: max(d.numberAfter(first, rule.prefix)) })
        .from(table)
        .where(mine(mun));
      const taken = reserved.map((l) =>
        l.startsWith(rule.prefix) ? Number(l.slice(rule.prefix.length)) || 0 : 0,
      );
      const next = Math.max(Number(row?.n ?? 0), ...taken) + 1;
      return `${rule.prefix}${String(next).padStart(rule.width, '0')}`;
    }
    if (rule.kind === 'sequence') {
      const qualified = qualifiedTable(table);
      const next = await engine.transaction(async (tx) => {
        const result = await tx.execute(
          sql`SELECT nextval(pg_get_serial_sequence(${qualified}, ${first.name})) AS n`,
        );
        return (result as { rows: { n: unknown }[] }).rows[0]?.n;
      });
      return String(next);
    }
    if (!second) throw new Error(`${m.name}: a year-number id needs two id columns`);
    const year = Number(firstDay.slice(0, 4));
    const [row] = await db
      .select({ n: max(second) })
      .from(table)
      .where(and(eq(first, year), mine(mun)));
    const taken = reserved
      .map((l) => parseLocalId(spec, l))
      .filter((v) => v?.[0] === year)
      .map((v) => Number(v?.[1]));
    return localIdOf(spec, [year, Math.max(Number(row?.n ?? 0), ...taken) + 1]);
  }

  return {
    allocateLocalId: (kind, firstDay, reserved) =>
      kind === 'credential'
        ? allocate(c.id, c.table, c.allocate, firstDay, reserved, own?.credential)
        : allocate(p.id, p.table, p.allocate, firstDay, reserved, own?.placement),

    async insertCredential(localId: string, input: NewCredential, clerk: string) {
      const [holder] = await reads.holdersByIds([input.holderId]);
      if (!holder) throw notFound(input.holderId);
      if (holder instanceof Error) throw holder;
      return engine.transaction(async (tx) => {
        const ids = parseLocalId(c.id, localId) ?? [];
        const pairs: [Column, unknown][] = [
          ...idColumns(c.id).map((col, i): [Column, unknown] => [col, ids[i]]),
          ...ownPairs(own?.credential),
          [c.holder.column, await resolve(tx, c.holder, input.holderId)],
          [c.qualification.column, await resolve(tx, c.qualification, input.qualificationId)],
          [c.state.column, c.state.codes.ACTIVE],
          ...writeDates(c.validFrom, c.validUntil, input.validFrom, input.validUntil),
        ];
        if (!isMissing(c.verificationHash)) pairs.push([c.verificationHash, input.verificationHash]);
        const row = { ...rowOf(c.table, pairs), ...c.extra?.({ holder, clerk, input }) };
        return engine.insertOnce(tx, c.table, row);
      });
    },

    insertPlacement: (localId: string, input: NewPlacement) =>
      engine.transaction(async (tx) => {
        const ids = parseLocalId(p.id, localId) ?? [];
        const pairs: [Column, unknown][] = [
          ...idColumns(p.id).map((col, i): [Column, unknown] => [col, ids[i]]),
          ...ownPairs(own?.placement),
          [p.credential, input.credentialId],
          [p.iscoCode, input.iscoCode],
          ...writeDates(p.startDate, p.endDate, input.startDate, input.endDate),
        ];
        if (!isMissing(p.employer)) pairs.push([p.employer, input.employer]);
        return engine.insertOnce(tx, p.table, rowOf(p.table, pairs));
      }),

    setCredentialState: (localId, from, to) =>
      engine.transaction(async (tx) => {
        const set = rowOf(c.table, [[c.state.column, c.state.codes[to]]]);
        const where = and(
          idEquals(c.id, localId),
          mine(own?.credential),
          eq(c.state.column, c.state.codes[from]),
        ) as SQL;
        return (await engine.update(tx, c.table, set, where)) === 1;
      }),

    close: async () => {},
  };
}
