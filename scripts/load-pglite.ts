// npm run load:pglite -- <PGlite directory> <dump.sql>
// Loads a plain SQL dump (pg_dump --format=plain, or any file of SQL statements) into an embedded
// PGlite directory, creating it when missing, so a register can be onboarded without a server.
import { readFileSync } from 'node:fs';
import { openPostgres } from '../common/postgres';

/** Lines of a pg_dump that PGlite has no use for: psql meta-commands and owner changes to absent roles. */
export function pgliteReady(dump: string): string {
  return dump
    .split('\n')
    .filter((line) => !/^\\/.test(line) && !/^ALTER .* OWNER TO /.test(line))
    .join('\n');
}

async function main() {
  const [dataDir, file] = process.argv.slice(2);
  if (!dataDir || !file)
    throw new Error(
      `Usage: npm run load:pglite -- <PGlite directory> <dump.sql>; received ${JSON.stringify(process.argv.slice(2))}`,
    );
  const handle = await openPostgres({ kind: 'pglite', dataDir });
  try {
    await handle.exec(pgliteReady(readFileSync(file, 'utf8')));
  } finally {
    await handle.close();
  }
  console.log(`Loaded ${file} into ${dataDir}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
