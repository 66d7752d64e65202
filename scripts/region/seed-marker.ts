// Tells a seeded data folder from a half-seeded one: a marker per member, written only once that
// member has seeded and answered ready; data without its marker was cut off while seeding.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const markerOf = (dataDir: string, member: string) => join(dataDir, 'seeded', member);

export function isSeeded(dataDir: string, member: string): boolean {
  return existsSync(markerOf(dataDir, member));
}

export function markSeeded(dataDir: string, member: string) {
  mkdirSync(join(dataDir, 'seeded'), { recursive: true });
  writeFileSync(markerOf(dataDir, member), `${new Date().toISOString()}\n`);
}

/**
 * Before a member starts: when its embedded databases exist but its marker does not, a previous
 * start was stopped while seeding, so they are removed and seeded again. Returns what was removed.
 */
export function discardHalfSeeded(dataDir: string, member: string, paths: readonly string[]): string[] {
  if (isSeeded(dataDir, member)) return [];
  const embedded = paths.filter((p) => !/^[a-z]+:\/\//.test(p) && existsSync(p));
  for (const p of embedded) rmSync(p, { recursive: true, force: true });
  return embedded;
}
