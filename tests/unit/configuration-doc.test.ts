// Every variable the code reads is named in docs/configuration.md, and every variable of a process
// kind's configuration goes through that kind's schema (nothing read from the environment beside it).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GATEWAY_VARIABLE_NAMES } from '../../gateway/src/config';
import { MUNICIPAL_VARIABLE_NAMES } from '../../subgraphs/municipal/config';
import { REGISTRY_VARIABLE_NAMES } from '../../subgraphs/registry/config';

const ROOT = join(__dirname, '../..');
const DOC = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const ENV_READ =
  /\b(?:process\.env|env|vars)\.([A-Z][A-Z0-9_]+)|\b(?:process\.env|env|vars)\[['"]([A-Z][A-Z0-9_]+)['"]\]/g;

/** Variables read in the code of the servers, the shared runtime and the demo's scripts. */
function variablesRead(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const dir of ['gateway', 'subgraphs', 'common', 'scripts']) {
    for (const file of sourceFiles(join(ROOT, dir))) {
      for (const m of readFileSync(file, 'utf8').matchAll(ENV_READ)) {
        const name = (m[1] ?? m[2]) as string;
        found.set(name, [...(found.get(name) ?? []), relative(ROOT, file)]);
      }
    }
  }
  return found;
}

const documented = (name: string) => DOC.includes(`\`${name}\``);

describe('docs/configuration.md', () => {
  it('names every variable the code reads', () => {
    const read = variablesRead();
    expect(read.size).toBeGreaterThan(10);
    const missing = [...read]
      .filter(([name]) => !documented(name))
      .map(([name, files]) => `${name} (${files[0]})`);
    expect(missing).toEqual([]);
  });

  it("names every variable of each process kind's validated configuration", () => {
    const kinds = [
      ...GATEWAY_VARIABLE_NAMES,
      ...MUNICIPAL_VARIABLE_NAMES,
      ...REGISTRY_VARIABLE_NAMES,
      'CROSSGATE_CONFIG',
    ];
    expect(kinds.filter((name) => !documented(name))).toEqual([]);
  });

  it('finds the servers reading the environment only through their configuration', () => {
    const direct = [...variablesRead()].flatMap(([name, files]) =>
      files
        .filter((f) => /^(gateway|subgraphs)\//.test(f) && !/\/config\.ts$/.test(f))
        .map((f) => `${name} in ${f}`),
    );
    expect(direct).toEqual([]);
  });
});
