// npm run onboard -- --name <adapter> --dialect <postgresql|mysql|sqlite> --url <database> [--driver pglite]
// Introspects a municipality's live database, proposes its mapping and reports what is left to map
// (docs/onboarding.md, steps 1 to 3).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { proposeMapping, tablesOf } from './onboard/propose';
import { pullSchema } from './onboard/pull';
import { indexSource, withAdapterRegistered } from './onboard/templates';

const ROOT = resolve(__dirname, '..');
const ADAPTERS = join(ROOT, 'subgraphs/municipal/adapters');

const Args = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a folder name such as "lakeside-register"'),
  dialect: z.enum(['postgresql', 'mysql', 'sqlite']),
  url: z.string().min(1),
  driver: z.enum(['pglite']).optional(),
  schemas: z.string().optional(),
  out: z.string().optional(),
  force: z.boolean().default(false),
});

const USAGE =
  'Usage: npm run onboard -- --name <adapter> --dialect <postgresql|mysql|sqlite> --url <database> [--driver pglite] [--schemas a,b] [--out dir] [--force]';

async function main() {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      dialect: { type: 'string' },
      url: { type: 'string' },
      driver: { type: 'string' },
      schemas: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    },
  });
  const parsed = Args.safeParse(values);
  if (!parsed.success)
    throw new Error(
      `${USAGE}\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  const a = parsed.data;
  const dir = resolve(a.out ?? join(ADAPTERS, a.name));
  if (existsSync(join(dir, 'mapping.ts')) && !a.force)
    throw new Error(`${dir} already has a mapping; pass --force to overwrite it`);

  // Step 1: the register's own tables, as the live database declares them.
  const pulled = await pullSchema({
    dialect: a.dialect,
    url: a.url,
    driver: a.driver,
    schemas: a.schemas?.split(','),
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'schema.ts'),
    `// ${a.name}'s own tables as drizzle-kit pull read them from the live database; never edit the database to fit.\n${pulled}`,
  );
  // Step 2: the proposed mapping, every contract field matched to a column or marked todo().
  const tables = tablesOf(await import(join(dir, 'schema.ts')));
  const kit = relative(dir, join(ADAPTERS, 'kit')).split('\\').join('/');
  const proposal = proposeMapping(a.name, a.dialect, tables, `${kit}/mapping`);
  writeFileSync(join(dir, 'mapping.ts'), proposal.source);
  writeFileSync(join(dir, 'index.ts'), indexSource(a.name, a.dialect, kit));
  const registered = resolve(dir) === join(ADAPTERS, a.name);
  if (registered) {
    const index = join(ADAPTERS, 'index.ts');
    writeFileSync(index, withAdapterRegistered(readFileSync(index, 'utf8'), a.name));
  }
  // The scaffold may be written where .gitignore reaches (a test's scratch folder): format it anyway.
  const biome = join(ROOT, 'node_modules/@biomejs/biome/bin/biome');
  try {
    execFileSync(process.execPath, [biome, 'format', '--write', '--vcs-use-ignore-file=false', dir], {
      stdio: 'ignore',
    });
  } catch {
    // Formatting is a courtesy: a folder the formatter is told to skip stays as written.
  }

  const left = proposal.todos;
  console.log(`Onboarded ${a.name} (${a.dialect}) into ${relative(process.cwd(), dir) || '.'}:
  1. schema.ts   ${tables.length} tables pulled, primary keys in their declared order
  2. mapping.ts  proposed; ${left.length === 0 ? 'nothing is left to map' : `${left.length} left to map (todo()):`}
${left.map((t) => `       - ${t}`).join('\n')}${left.length ? '\n' : ''}     index.ts    the adapter${registered ? `, registered as ADAPTER=${a.name}` : ''}
Next, as docs/onboarding.md goes on:
  3. map what is left in mapping.ts; the register refuses to open while a todo() or a wrong column is left
  4. prove it: a target in tests/adapters/targets.ts and npx jest on its test file (every engine it supports)
  5. npm run grant:reader -- ${a.name} <owner address>   (the read-only login, READER_DATABASE)
  6. start its subgraph with MUNICIPALITY, ADAPTER=${a.name}, DATABASE, READER_DATABASE, AUDIT_DATABASE, KEY_DIR,
     REGISTRY_KEYS, REGISTRY_URL, POLICY_DIR, …; its public key: npm run member-key -- <KEY_DIR> <CODE> > <CODE>-public.jsonl
  7. join the region: CROSSGATE_TOKEN=<registry_admin token> npm run admit-member -- --code <CODE> --name … --country …
     --url <its subgraph address> --keys <CODE>-public.jsonl (no SQL, no restart), then mapQualification`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
