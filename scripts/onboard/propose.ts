// Proposes a register's mapping from its pulled tables: each contract record and field matched to a
// table and column by name and type, and todo() where nothing matches, so the result type-checks.
import { type Column, getTableColumns, is, Table } from 'drizzle-orm';
import type { Dialect } from '../../subgraphs/municipal/adapters/adapter';

interface ColumnInfo {
  key: string;
  name: string;
  type: string;
  numeric: boolean;
  serial: boolean;
}
interface TableInfo {
  exportName: string;
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
}

const NAME = Symbol.for('drizzle:Name');
const EXTRA = Symbol.for('drizzle:ExtraConfigBuilder');
const EXTRA_COLUMNS = Symbol.for('drizzle:ExtraConfigColumns');

/** The tables of a pulled schema module, with their columns and primary key in declared order. */
export function tablesOf(module: Record<string, unknown>): TableInfo[] {
  return Object.entries(module).flatMap(([exportName, value]) => {
    if (!is(value, Table)) return [];
    const table = value as unknown as Record<symbol, unknown>;
    const entries = Object.entries(getTableColumns(value)) as [string, Column][];
    const keyOf = new Map(entries.map(([k, c]) => [c.name, k]));
    const columns = entries.map(([key, c]) => ({
      key,
      name: c.name,
      type: c.getSQLType(),
      numeric: c.dataType === 'number' || c.dataType === 'bigint',
      serial: /serial/.test(c.getSQLType()) || c.hasDefault,
    }));
    let primaryKey = entries.filter(([, c]) => c.primary).map(([k]) => k);
    const extra = table[EXTRA] as ((t: unknown) => unknown[]) | undefined;
    for (const item of extra?.(table[EXTRA_COLUMNS] ?? value) ?? []) {
      const pk = item as { columns?: Column[]; constructor?: { name?: string } };
      if (pk.constructor?.name?.endsWith('PrimaryKeyBuilder') && pk.columns)
        primaryKey = pk.columns.map((c) => keyOf.get(c.name) ?? c.name);
    }
    return [{ exportName, name: String(table[NAME]), columns, primaryKey }];
  });
}

const WORDS = {
  credential: ['credential', 'certificate', 'cert', 'award', 'titulo', 'diploma', 'register', 'licen'],
  holder: ['holder', 'person', 'persona', 'learner', 'titular', 'people', 'student', 'alumno'],
  qualification: ['qualification', 'programme', 'program', 'award_type', 'cualificacion', 'occ', 'course'],
  placement: ['placement', 'employment', 'job', 'contrato', 'empleo', 'work'],
} as const;
type RecordKind = keyof typeof WORDS;

const has = (name: string, words: readonly string[]) => words.some((w) => name.toLowerCase().includes(w));

/** Assigns each contract record the table whose name fits it best (a table serves one record). */
function assignTables(tables: TableInfo[]): Partial<Record<RecordKind, TableInfo>> {
  const taken = new Set<TableInfo>();
  const out: Partial<Record<RecordKind, TableInfo>> = {};
  for (const kind of ['qualification', 'placement', 'holder', 'credential'] as RecordKind[]) {
    const found = tables.find((t) => !taken.has(t) && has(t.name, WORDS[kind]));
    if (found) {
      out[kind] = found;
      taken.add(found);
    }
  }
  return out;
}

/** The first column whose name holds one of `words` (and passes `fits`), or null. */
function pick(
  t: TableInfo | undefined,
  words: readonly string[],
  fits: (c: ColumnInfo) => boolean = () => true,
) {
  return t?.columns.find((c) => has(c.name, words) && fits(c)) ?? null;
}

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const todo = (what: string) => `todo(${quote(what)})`;
const ref = (t: TableInfo, c: ColumnInfo) => `${t.exportName}.${c.key}`;
const dateLike = (c: ColumnInfo) => /date|range|int|char|text/.test(c.type);

function dateField(t: TableInfo | undefined, c: ColumnInfo | null, end: boolean, what: string): string {
  if (!t || !c) return todo(`the column of the ${what}`);
  const format = /range/.test(c.type)
    ? end
      ? 'range-end'
      : 'range-start'
    : /^date/.test(c.type)
      ? 'date'
      : c.numeric
        ? 'epoch-seconds'
        : 'iso-text';
  const none = end ? `, none: ${quote('NULL: none')}` : '';
  return `{ column: ${ref(t, c)}, format: '${format}'${none} }`;
}

function idOf(t: TableInfo | undefined, what: string): string {
  if (!t || t.primaryKey.length === 0) return todo(`the id column(s) of the ${what}`);
  if (t.primaryKey.length === 1) return `${t.exportName}.${t.primaryKey[0]}`;
  return `{ columns: [${t.primaryKey.map((k) => `${t.exportName}.${k}`).join(', ')}], separator: '-' }`;
}

function allocationOf(t: TableInfo | undefined, prefix: string): string {
  const key = t?.primaryKey.map((k) => t.columns.find((c) => c.key === k));
  if (key?.length === 2 && key.every((c) => c?.numeric)) return `{ kind: 'year-number' }`;
  if (key?.length === 1 && key[0]?.serial) return `{ kind: 'sequence' }`;
  return `{ kind: 'max-plus-one', prefix: '${prefix}', width: 6 }`;
}

/** A reference from `from` to the record `to` keeps: the column naming it, joined to its key. */
function reference(
  from: TableInfo | undefined,
  to: TableInfo | undefined,
  words: readonly string[],
  what: string,
) {
  if (!from || !to) return todo(`the column naming the ${what}`);
  const key = to.columns.find((c) => c.key === to.primaryKey[0]);
  const column =
    from.columns.find((c) => key && c.name === key.name && !from.primaryKey.includes(c.key)) ??
    pick(from, [...words, to.name], (c) => !from.primaryKey.includes(c.key));
  if (!column || !key) return todo(`the column naming the ${what}`);
  return `{ column: ${ref(from, column)}, refers: ${ref(to, key)} }`;
}

/** The proposed mapping.ts, and what it leaves to map. */
export function proposeMapping(
  name: string,
  dialect: Dialect,
  tables: TableInfo[],
  kitPath: string,
): { source: string; todos: string[] } {
  const { credential: c, holder: h, qualification: q, placement: p } = assignTables(tables);
  const col = (
    t: TableInfo | undefined,
    words: readonly string[],
    what: string,
    fits?: (c: ColumnInfo) => boolean,
  ) => {
    const found = pick(t, words, fits);
    return t && found ? ref(t, found) : todo(`the column of the ${what}`);
  };
  const given = pick(h, ['given', 'first', 'nombre', 'vorname']);
  const family = pick(h, ['family', 'last', 'surname', 'apellido', 'nachname']);
  const full = pick(h, ['full', 'display', 'name'], (x) => x !== given && x !== family);
  const displayName =
    h && given && family
      ? `{\n      columns: [${ref(h, given)}, ${ref(h, family)}],\n      read: (first, last) => \`\${first} \${last}\`.trim(),\n    }`
      : h && full
        ? ref(h, full)
        : todo("the holder's name (a column, or { columns, read })");
  const employer = pick(p, ['employer', 'empleador', 'empresa', 'company']);
  const exportsUsed = [c, h, q, p].filter((t): t is TableInfo => !!t).map((t) => t.exportName);
  const camel = name.replace(/-([a-z0-9])/g, (_, x: string) => x.toUpperCase());
  const source = `// ${name}'s register in the contract's shapes, as proposed by npm run onboard: check every line,
// and map each todo() (docs/onboarding.md, step 3); the register refuses to open while one is left.
import { defineMapping, todo } from '${kitPath}';
import { ${[...new Set(exportsUsed)].sort().join(', ')} } from './schema';

export const ${camel}Mapping = defineMapping({
  name: '${name}',
  dialect: '${dialect}',
  credential: {
    table: ${c?.exportName ?? todo('the credential table')},
    id: ${idOf(c, 'credential')},
    holder: ${reference(c, h, WORDS.holder, 'holder')},
    qualification: ${reference(c, q, WORDS.qualification, 'qualification')},
    state: {
      column: ${col(c, ['status', 'state', 'estado', 'stat'], 'credential state')},
      codes: ${todo("the register's codes for ACTIVE, SUSPENDED and REVOKED")},
    },
    validFrom: ${dateField(c, pick(c, ['valid_from', 'validfrom', 'issued', 'issue', 'expedicion', 'from', 'start'], dateLike), false, 'first day of validity')},
    validUntil: ${dateField(c, pick(c, ['valid_until', 'validuntil', 'valid_to', 'expir', 'caducidad', 'until', 'end'], dateLike), true, 'last day of validity')},
    verificationHash: ${col(c, ['hash', 'digest', 'huella'], 'verification hash')},
    allocate: ${allocationOf(c, 'C-')},
  },
  holder: {
    table: ${h?.exportName ?? todo('the holder table')},
    id: ${idOf(h, 'holder')},
    displayName: ${displayName},
    regionalHolderId: ${col(h, ['regional', 'rhid'], 'regional holder id')},
  },
  qualification: {
    table: ${q?.exportName ?? todo('the qualification table')},
    id: ${idOf(q, 'qualification')},
    code: ${col(q, ['code', 'codigo'], 'qualification code', (x) => !q?.primaryKey.includes(x.key))},
    title: ${col(q, ['title', 'label', 'denominacion', 'name', 'titulo'], 'qualification title')},
    eqfLevel: ${col(q, ['eqf', 'nivel', 'level'], 'EQF level')},
    iscoCode: ${col(q, ['isco', 'ocupacion', 'occupation'], 'ISCO-08 code')},
  },
  placement: {
    table: ${p?.exportName ?? todo('the placement table')},
    id: ${idOf(p, 'placement')},
    credential: ${col(p, ['credential', 'cert', 'award', 'titulo', 'ref'], 'credential used (a global id)', (x) => !x.numeric)},
    employer: ${p && employer ? ref(p, employer) : todo("the employer's column, or { missing: null, why: '…' } where the register has none")},
    iscoCode: ${col(p, ['isco', 'ocupacion', 'occupation'], 'ISCO-08 code')},
    startDate: ${dateField(p, pick(p, ['start', 'alta', 'begin', 'from'], dateLike), false, 'start date')},
    endDate: ${dateField(p, pick(p, ['end', 'baja', 'until', 'to'], dateLike), true, 'end date')},
    allocate: ${allocationOf(p, 'P-')},
  },
});
`;
  const todos = [...source.matchAll(/todo\('((?:[^'\\]|\\.)*)'\)/g)].map((m) =>
    (m[1] ?? '').replace(/\\'/g, "'"),
  );
  return { source, todos };
}
