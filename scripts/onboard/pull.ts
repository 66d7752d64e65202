// Introspects a live database with drizzle-kit pull and returns the drizzle schema source it wrote.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Dialect } from '../../subgraphs/municipal/adapters/adapter';

const run = promisify(execFile);
const DRIZZLE_KIT = resolve(__dirname, '../../node_modules/drizzle-kit/bin.cjs');

export interface PullOptions {
  dialect: Dialect;
  /** A postgres:// or mysql:// URL, a SQLite file, or a PGlite directory (with driver 'pglite'). */
  url: string;
  driver?: 'pglite';
  /** PostgreSQL schemas to read; default public. */
  schemas?: readonly string[];
}

/** Drops what drizzle-kit emits but the schema never uses, and a MariaDB quirk: default('NULL'). */
export function tidyPulledSchema(source: string): string {
  let text = source.replace(/\.default\('NULL'\)/g, '');
  text = text.replace(/import \{([^}]*)\} from ("[^"]+");?/g, (_, names: string, from: string) => {
    const body = text.replace(/import \{[^}]*\} from "[^"]+";?/g, '');
    const used = names
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n && new RegExp(`\\b${n}\\b`).test(body));
    return used.length ? `import { ${used.join(', ')} } from ${from};` : '';
  });
  return text;
}

export async function pullSchema(options: PullOptions): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'crossgate-pull-'));
  try {
    const args = [
      DRIZZLE_KIT,
      'pull',
      `--dialect=${options.dialect}`,
      `--url=${options.url}`,
      `--out=${out}`,
      '--introspect-casing=preserve',
    ];
    if (options.driver) args.push(`--driver=${options.driver}`);
    if (options.schemas?.length) args.push(`--schemaFilters=${options.schemas.join(',')}`);
    try {
      await run(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      throw new Error(`drizzle-kit pull failed: ${err.stderr || err.stdout || err.message}`);
    }
    return tidyPulledSchema(readFileSync(join(out, 'schema.ts'), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
