// Which tests cover each module the gateway and the subgraphs load: by importing it, or by driving it
// through a server. Writes the map into tests/README.md (`npx tsx tests/support/test-map.ts --write`);
// tests/unit/test-map.test.ts fails when the map is stale or a module has no test.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ImportGraph, projectFiles, ROOT, readImportGraph } from './import-graph';

/** The processes of the region: every module they load is held to having a test. */
export const SERVER_ENTRY_POINTS = [
  'gateway/main.ts',
  'subgraphs/registry/main.ts',
  'subgraphs/municipal/main.ts',
] as const;

/** The shared harness: a test that reaches a module through it drives the module through a server. */
const HARNESS_FOLDER = 'tests/support/';

export interface ModuleCoverage {
  module: string;
  /** Test files that import the module, themselves or through a helper beside them (not the harness). */
  importedBy: string[];
  /**
   * Test files that load the module through a server: the harness, a server.ts they start themselves,
   * or a process they start; those named like the module first, then the most focused.
   */
  drivenBy: string[];
}

function isTestFile(file: string): boolean {
  return file.startsWith('tests/') && file.endsWith('.test.ts');
}

/** Runtime arrows only: a type-only import loads nothing. */
function runtimeNeighbours(graph: ImportGraph): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (e.typeOnly) continue;
    next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  }
  return next;
}

function closure(starts: readonly string[], next: Map<string, string[]>, through = (_: string) => true) {
  const seen = new Set<string>(starts);
  const queue = [...starts];
  while (queue.length) {
    const file = queue.pop() as string;
    for (const target of next.get(file) ?? []) {
      if (seen.has(target)) continue;
      seen.add(target);
      if (through(target)) queue.push(target);
    }
  }
  return seen;
}

/**
 * Entry points a test starts as processes: in a test that imports node:child_process, each string
 * literal naming a project file that no other file imports (`'gateway/main.ts'`, `'scripts/verify-audit.ts'`).
 */
export function processesStartedBy(text: string, entryPoints: ReadonlySet<string>): string[] {
  if (!/^import [^;]+ from 'node:child_process';/m.test(text)) return [];
  const named = [...text.matchAll(/'([\w./-]+\.ts)'/g)].map((m) => m[1] as string);
  return [...new Set(named.filter((path) => entryPoints.has(path)))];
}

/** Every module the server entry points load, with the tests that cover it. */
export function moduleCoverage(graph: ImportGraph = readImportGraph()): ModuleCoverage[] {
  const next = runtimeNeighbours(graph);
  const imported = new Set(graph.edges.map((e) => e.to));
  const entryPoints = new Set(graph.files.filter((f) => !f.startsWith('tests/') && !imported.has(f)));
  const loaded = [...closure(SERVER_ENTRY_POINTS, next)].filter((f) => !f.startsWith('tests/')).sort();
  const tests = graph.files.filter(isTestFile);
  const direct = new Map<string, Set<string>>();
  const driven = new Map<string, Set<string>>();
  for (const test of tests) {
    // A helper beside the tests (not the shared harness) is part of the tests that use it.
    const own = closure([test], next, (f) => f.startsWith('tests/') && !f.startsWith(HARNESS_FOLDER));
    const ownTests = [...own].filter(
      (f) => f === test || (f.startsWith('tests/') && !f.startsWith(HARNESS_FOLDER)),
    );
    const importedHere = new Set(ownTests.flatMap((f) => next.get(f) ?? []));
    const started = processesStartedBy(readFileSync(join(ROOT, test), 'utf8'), entryPoints);
    // Through a server: from the harness, from a server module the test starts itself, from a process.
    const servers = [...importedHere].filter((f) => f.startsWith(HARNESS_FOLDER) || f.endsWith('/server.ts'));
    const reached = closure([...servers, ...started], next);
    for (const module of loaded) {
      if (importedHere.has(module))
        (direct.get(module) ?? direct.set(module, new Set()).get(module))?.add(test);
      else if (reached.has(module))
        (driven.get(module) ?? driven.set(module, new Set()).get(module))?.add(test);
    }
  }
  const focus = new Map(tests.map((t) => [t, closure([t], next).size]));
  // Tests whose path shares words with the module's come first (fanout/… for gateway/src/fanout/…),
  // then the most focused: the fewest files loaded.
  const words = (path: string) => new Set(path.replace(/\.(test\.)?ts$/, '').split(/[/._-]/));
  const shared = (module: string, test: string) => {
    const mine = words(module);
    return [...words(test)].filter((w) => w.length > 2 && mine.has(w)).length;
  };
  const byRelevance = (module: string) => (a: string, b: string) =>
    shared(module, b) - shared(module, a) ||
    (focus.get(a) as number) - (focus.get(b) as number) ||
    a.localeCompare(b);
  return loaded.map((module) => ({
    module,
    importedBy: [...(direct.get(module) ?? [])].sort(),
    drivenBy: [...(driven.get(module) ?? [])].sort(byRelevance(module)),
  }));
}

const START =
  '<!-- test map: generated by `npx tsx tests/support/test-map.ts --write`; do not edit by hand -->';
const END = '<!-- end of test map -->';
/** How many server-driven tests the map names per module (the most focused ones). */
const DRIVEN_SHOWN = 3;

function short(test: string): string {
  return `\`${test.replace(/^tests\//, '')}\``;
}

/** A markdown table with its columns padded to one width, as the formatter leaves it. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** The map as markdown: one table per top-level folder (one per subgraph). */
export function renderTestMap(coverage: readonly ModuleCoverage[]): string {
  const lines: string[] = [START];
  const groups = new Map<string, ModuleCoverage[]>();
  for (const c of coverage) {
    const parts = c.module.split('/');
    const group = (c.module.startsWith('subgraphs/') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
    groups.set(group, [...(groups.get(group) ?? []), c]);
  }
  for (const [group, modules] of groups) {
    const rows = modules.map((row) => {
      const driven = row.drivenBy.slice(0, DRIVEN_SHOWN).map(short);
      if (row.drivenBy.length > DRIVEN_SHOWN) driven.push(`and ${row.drivenBy.length - DRIVEN_SHOWN} more`);
      return [
        `\`${row.module.slice(group.length + 1)}\``,
        row.importedBy.map(short).join(', ') || '—',
        driven.join(', ') || '—',
      ];
    });
    lines.push(
      '',
      `### \`${group}/\``,
      '',
      ...table(['module', 'imported by', 'driven through a server by'], rows),
    );
  }
  lines.push('', END);
  return lines.join('\n');
}

export const README = join(ROOT, 'tests', 'README.md');

/** The README with its map section replaced by `map`. */
export function withTestMap(readme: string, map: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`tests/README.md has no test map section (${START} … ${END})`);
  return readme.slice(0, start) + map + readme.slice(end + END.length);
}

if (require.main === module) {
  const map = renderTestMap(moduleCoverage(readImportGraph(projectFiles())));
  if (process.argv.includes('--write')) writeFileSync(README, withTestMap(readFileSync(README, 'utf8'), map));
  else process.stdout.write(`${map}\n`);
}
