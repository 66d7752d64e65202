// Onboarding: the scaffold command pulls a live database's own tables into a new adapter folder.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { tidyPulledSchema } from '../../scripts/onboard/pull';
import {
  credentials,
  holders,
  placements,
  programmes,
} from '../../subgraphs/municipal/adapters/sqlite-camel/schema';
import { region } from './behaviour';
import { sqliteTarget } from './targets';

const run = promisify(execFile);
const legacy = { programmes, holders, credentials, placements };
const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'crossgate-onboard-'));
/** Inside the repository (ignored by git), so the scaffold resolves the installed packages. */
mkdirSync(join(ROOT, 'tests/artifacts'), { recursive: true });
const out = mkdtempSync(join(ROOT, 'tests/artifacts/onboard-'));
const columnsOf = (table: unknown) =>
  getTableConfig(table as SQLiteTable)
    .columns.map((c) => `${c.name}:${c.getSQLType()}:${c.notNull}`)
    .sort();

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe('onboarding a municipality', () => {
  it('scaffolds an adapter whose pulled schema matches the live tables', async () => {
    const database = join(dir, 'live.sqlite');
    await sqliteTarget.adapter.seed(database, region, 'SB');
    await run(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'scripts/onboard-municipality.ts'),
        '--name=southbank-register',
        '--dialect=sqlite',
        `--url=${database}`,
        `--out=${out}`,
      ],
      { cwd: ROOT },
    );
    for (const f of ['schema.ts', 'store.ts', 'seed.ts', 'index.ts'])
      expect(existsSync(join(out, f))).toBe(true);
    const pulled = await import(join(out, 'schema.ts'));
    for (const name of ['programmes', 'holders', 'credentials', 'placements'] as const) {
      expect(columnsOf(pulled[name])).toEqual(columnsOf(legacy[name]));
    }
    const index = readFileSync(join(out, 'index.ts'), 'utf8');
    expect(index).toContain("name: 'southbank-register'");
    expect(index).toContain('readonly: true');
    expect(readFileSync(join(out, 'store.ts'), 'utf8')).toContain('createSouthbankRegisterStore');
  });

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
