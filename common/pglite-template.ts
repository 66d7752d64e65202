// A fresh PGlite database without running initdb each time: one initialised, empty cluster is
// dumped once (per PGlite version, kept in the system's temporary folder for every process) and
// each new database starts from that dump, which PGlite loads several times faster than it inits.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

type PGliteClass = typeof import('@electric-sql/pglite').PGlite;

/** An initdb'd cluster is tens of megabytes; anything much smaller is a cut-short write. */
const SMALLEST_DUMP_BYTES = 1_000_000;

let template: Promise<Blob> | undefined;

function templatePath(): string {
  const require = createRequire(__filename);
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  } catch {
    // The dump stays per process only if the version cannot be read.
  }
  return join(tmpdir(), `crossgate-pglite-${version}-empty-cluster.tar`);
}

async function makeTemplate(PGlite: PGliteClass): Promise<Blob> {
  const path = templatePath();
  if (existsSync(path) && statSync(path).size >= SMALLEST_DUMP_BYTES) {
    return new Blob([readFileSync(path)]);
  }
  const fresh = new PGlite();
  await fresh.waitReady;
  const dump = await fresh.dumpDataDir('none');
  await fresh.close();
  const bytes = Buffer.from(await dump.arrayBuffer());
  // Written aside and renamed, so a process reading it never sees half a file.
  const partial = `${path}.${randomUUID()}`;
  try {
    writeFileSync(partial, bytes);
    renameSync(partial, path);
  } catch {
    // A read-only temporary folder only costs the next process its own initdb.
  }
  return new Blob([bytes]);
}

/** The dump of an empty cluster, made once per process at most. */
export function emptyClusterDump(PGlite: PGliteClass): Promise<Blob> {
  template ??= makeTemplate(PGlite).catch((e) => {
    template = undefined;
    throw e;
  });
  return template;
}

/** A data folder that holds no cluster yet (absent or empty) starts from the dump. */
export function needsCluster(dataDir: string | undefined): boolean {
  if (!dataDir) return true;
  return !existsSync(dataDir) || readdirSync(dataDir).length === 0;
}
