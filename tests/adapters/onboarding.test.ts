// Onboarding: a register the project has never seen (year-and-number keys, one-letter states, no
// employer) is loaded from its SQL dump into PGlite, pulled and given a proposed mapping that
// type-checks and names what is left; the finished mapping is that proposal with its todo()s filled in.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { type SQLiteTable, getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { type PullOptions, pullSchema, tidyPulledSchema } from '../../scripts/onboard/pull';
import {
  contrato,
  cualificacion,
  persona,
  titulo,
} from '../../subgraphs/municipal/adapters/registro-titulos/schema';
import {
  credentials,
  holders,
  placements,
  programmes,
} from '../../subgraphs/municipal/adapters/sqlite-camel/schema';
import { region } from './behaviour';
import { type AdapterTarget, mariadbTarget, pgliteTarget, postgresTarget, sqliteTarget } from './targets';

const run = promisify(execFile);
const registro = { persona, cualificacion, titulo, contrato };
const camel = { programmes, holders, credentials, placements };
const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'crossgate-onboard-'));
/** Inside the repository (ignored by git), so the scaffold resolves the installed packages. */
mkdirSync(join(ROOT, 'tests/artifacts'), { recursive: true });
const out = mkdtempSync(join(ROOT, 'tests/artifacts/onboard-'));
const tsx = (script: string, args: string[]) =>
  run(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, timeout: 240_000 });

const pgColumns = (table: unknown) => {
  const config = getTableConfig(table as PgTable);
  return {
    columns: config.columns.map((c) => `${c.name}:${c.getSQLType()}:${c.notNull}`).sort(),
    primaryKey: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
  };
};
const sqliteColumns = (table: unknown) =>
  sqliteTableConfig(table as SQLiteTable)
    .columns.map((c) => `${c.name}:${c.getSQLType()}:${c.notNull}`)
    .sort();

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe('onboarding a register the project has never seen', () => {
  let report = '';
  beforeAll(async () => {
    const dump = join(ROOT, 'tests/adapters/fixtures/registro-titulos.sql');
    await tsx('scripts/load-pglite.ts', [join(dir, 'registro'), dump]);
    const result = await tsx('scripts/onboard-municipality.ts', [
      '--name=registro-titulos',
      '--dialect=postgresql',
      '--driver=pglite',
      `--url=${join(dir, 'registro')}`,
      `--out=${out}`,
    ]);
    report = result.stdout;
  }, 300_000);

  it('pulls the tables as the database declares them, primary key columns in declared order', async () => {
    const pulled = await import(join(out, 'schema.ts'));
    for (const name of ['persona', 'cualificacion', 'titulo', 'contrato'] as const)
      expect(pgColumns(pulled[name])).toEqual(pgColumns(registro[name]));
    expect(pgColumns(pulled.titulo).primaryKey).toEqual([['anio', 'numero']]);
  });

  it('proposes a mapping that type-checks and marks only what no column answers', async () => {
    const proposal = readFileSync(join(out, 'mapping.ts'), 'utf8');
    expect(proposal).toContain("id: { columns: [titulo.anio, titulo.numero], separator: '-' }");
    expect(proposal).toContain('holder: { column: titulo.id_persona, refers: persona.id_persona }');
    expect(proposal).toContain("allocate: { kind: 'year-number' }");
    expect(proposal).toContain("allocate: { kind: 'sequence' }");
    expect([...proposal.matchAll(/todo\(/g)].length).toBe(3); // the import, the state codes, the employer
    expect(report).toContain('2 left to map');
    expect(report).toMatch(/state codes|codes for ACTIVE/);
    expect(report).toMatch(/employer/);
    for (const step of ['3. map', '4. prove', '5. npm run grant:reader', '6. start', '7. join'])
      expect(report).toContain(step);
    // The member joins through the registry's API, not SQL (docs/onboarding.md, step 7).
    expect(report).toContain('npm run admit-member -- --code');
    expect(report).not.toMatch(/INSERT INTO/);
    writeFileSync(
      join(out, 'tsconfig.json'),
      JSON.stringify({ extends: join(ROOT, 'tsconfig.json'), include: ['./*.ts'], exclude: [] }),
    );
    await run(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json')],
      {
        cwd: ROOT,
        timeout: 240_000,
      },
    );
  }, 300_000);

  it('is finished by filling in the todo()s alone, in well under 120 lines', () => {
    const finished = readFileSync(
      join(ROOT, 'subgraphs/municipal/adapters/registro-titulos/mapping.ts'),
      'utf8',
    );
    expect(finished.split('\n').length).toBeLessThanOrEqual(120);
    expect(finished).not.toContain('todo(');
    expect(finished).toContain('employer: { missing: null, why:');
    expect(finished).toContain("codes: { ACTIVE: 'V', SUSPENDED: 'S', REVOKED: 'R' }");
  });
});

describe('onboarding on other engines', () => {
  it('pulls a SQLite register whose tables match the live ones', async () => {
    const database = join(dir, 'live.sqlite');
    await sqliteTarget.adapter.seed(database, region, 'SB');
    const sqliteOut = mkdtempSync(join(ROOT, 'tests/artifacts/onboard-'));
    try {
      const { stdout } = await tsx('scripts/onboard-municipality.ts', [
        '--name=southbank-register',
        '--dialect=sqlite',
        `--url=${database}`,
        `--out=${sqliteOut}`,
      ]);
      const pulled = await import(join(sqliteOut, 'schema.ts'));
      for (const name of ['programmes', 'holders', 'credentials', 'placements'] as const)
        expect(sqliteColumns(pulled[name])).toEqual(sqliteColumns(camel[name]));
      const proposal = readFileSync(join(sqliteOut, 'mapping.ts'), 'utf8');
      expect(proposal).toContain("validFrom: { column: credentials.validFrom, format: 'epoch-seconds' }");
      expect(proposal).toContain('employer: placements.employerName');
      expect(readFileSync(join(sqliteOut, 'index.ts'), 'utf8')).toContain(
        'mappedAdapter(southbankRegisterMapping)',
      );
      expect(stdout).toContain('left to map');
    } finally {
      rmSync(sqliteOut, { recursive: true, force: true });
    }
  }, 300_000);

  it("drops MariaDB's default('NULL') quirk and imports the schema never uses", () => {
    const source = `import { mysqlTable, AnyMySqlColumn, char } from "drizzle-orm/mysql-core"
import { sql } from "drizzle-orm"
export const REG = mysqlTable("REG", { STAT: char({ length: 1 }).default('NULL') });`;
    const tidy = tidyPulledSchema(source);
    expect(tidy).toContain('import { mysqlTable, char } from "drizzle-orm/mysql-core";');
    expect(tidy).not.toContain('drizzle-orm"');
    expect(tidy).toContain('STAT: char({ length: 1 }) }');
  });
});

/** registro-titulos' key table on each engine: the key's columns declared after them, in the other order. */
const TITULO_DDL = (smallint: string) =>
  `CREATE TABLE titulo (numero integer NOT NULL, anio ${smallint} NOT NULL, estado char(1) NOT NULL,
   PRIMARY KEY (anio, numero))`;
const KEY_ENGINES: { engine: string; target: AdapterTarget; options: (url: string) => PullOptions }[] = [
  {
    engine: 'PGlite',
    target: pgliteTarget,
    options: (url) => ({ dialect: 'postgresql', driver: 'pglite', url }),
  },
  { engine: 'PostgreSQL', target: postgresTarget, options: (url) => ({ dialect: 'postgresql', url }) },
  { engine: 'MariaDB', target: mariadbTarget, options: (url) => ({ dialect: 'mysql', url }) },
  { engine: 'SQLite', target: sqliteTarget, options: (url) => ({ dialect: 'sqlite', url }) },
];

describe('a composite primary key comes in its declared order', () => {
  it.each(KEY_ENGINES)(
    'on $engine',
    async ({ engine, target, options }) => {
      const database = await target.create();
      try {
        await target.exec(database, [TITULO_DDL(engine === 'SQLite' ? 'integer' : 'smallint')]);
        const source = await pullSchema(options(database));
        const key = /Table\("titulo"[\s\S]*?primaryKey\(\{ columns: \[([^\]]*)\]/.exec(source)?.[1];
        expect(key?.split(',').map((c) => c.trim())).toEqual(['table.anio', 'table.numero']);
      } finally {
        await target.drop(database);
      }
    },
    240_000,
  );
});
