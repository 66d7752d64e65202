// npm run onboard -- --name <adapter> --dialect <postgresql|mysql|sqlite> --url <database>
// Introspects a municipality's live database and scaffolds its adapter folder (see docs/onboarding.md).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { pullSchema } from './onboard/pull';
import { indexSource, seedSource, storeSource } from './onboard/templates';

const ROOT = resolve(__dirname, '..');

const Args = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a folder name such as "lakeside-register"'),
  dialect: z.enum(['postgresql', 'mysql', 'sqlite']),
  url: z.string().min(1),
  driver: z.enum(['pglite']).optional(),
  schemas: z.string().optional(),
  out: z.string().optional(),
  force: z.boolean().default(false),
});

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
  if (!parsed.success) {
    throw new Error(
      `Usage: npm run onboard -- --name <adapter> --dialect <postgresql|mysql|sqlite> --url <database> [--driver pglite] [--schemas a,b] [--out dir]\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const a = parsed.data;
  const dir = resolve(a.out ?? join(ROOT, 'subgraphs/municipal/adapters', a.name));
  if (existsSync(join(dir, 'schema.ts')) && !a.force) {
    throw new Error(`${dir} already has an adapter; pass --force to overwrite it`);
  }
  const pulled = await pullSchema({
    dialect: a.dialect,
    url: a.url,
    driver: a.driver,
    schemas: a.schemas?.split(','),
  });
  mkdirSync(dir, { recursive: true });
  const scaffold = { name: a.name, dialect: a.dialect };
  writeFileSync(
    join(dir, 'schema.ts'),
    `// ${a.name}'s own tables as drizzle-kit pull read them from the live database; never edit the database to fit.\n${pulled}`,
  );
  writeFileSync(join(dir, 'store.ts'), storeSource(scaffold));
  writeFileSync(join(dir, 'seed.ts'), seedSource(scaffold));
  writeFileSync(join(dir, 'index.ts'), indexSource(scaffold));
  execFileSync(
    process.execPath,
    // The scaffold may be written where .gitignore reaches (a test's scratch folder): format it anyway.
    [
      join(ROOT, 'node_modules/@biomejs/biome/bin/biome'),
      'check',
      '--write',
      '--vcs-use-ignore-file=false',
      dir,
    ],
    {
      stdio: 'ignore',
    },
  );
  console.log(`Scaffolded ${dir}: schema.ts (pulled), store.ts, seed.ts, index.ts.
Next: map store.ts (docs/onboarding.md, step 4), then add the adapter to subgraphs/municipal/adapters/index.ts.`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
