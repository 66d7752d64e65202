// Every module the gateway and the subgraphs load has a test, and tests/README.md says which.
import { readFileSync } from 'node:fs';
import { readImportGraph } from '../support/import-graph';
import { moduleCoverage, processesStartedBy, README, renderTestMap, withTestMap } from '../support/test-map';

const coverage = moduleCoverage(readImportGraph());

describe('the test map', () => {
  it('covers what the three processes load, down to the adapters and the contract', () => {
    const modules = coverage.map((c) => c.module);
    expect(modules.length).toBeGreaterThan(100);
    expect(modules).toEqual(
      expect.arrayContaining([
        'gateway/main.ts',
        'gateway/src/server.ts',
        'subgraphs/registry/main.ts',
        'subgraphs/municipal/main.ts',
        'subgraphs/municipal/adapters/sqlite-camel/mapping.ts',
        'common/http.ts',
        'schema/errors.ts',
      ]),
    );
    expect(modules.filter((m) => m.startsWith('tests/') || m.startsWith('scripts/'))).toEqual([]);
  });

  it('finds a test for every module: one that imports it or one that drives it through a server', () => {
    const untested = coverage.filter((c) => c.importedBy.length === 0 && c.drivenBy.length === 0);
    expect(untested.map((c) => c.module)).toEqual([]);
  });

  it('is written in tests/README.md as it is (npx tsx tests/support/test-map.ts --write)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(withTestMap(readme, renderTestMap(coverage))).toBe(readme);
  });

  it('counts a process as started only by a test that can spawn one', () => {
    const entries = new Set(['gateway/main.ts', 'scripts/verify-audit.ts']);
    const spawning = `import { spawn } from 'node:child_process';
      spawn(node, ['--import', 'tsx', join(ROOT, 'scripts/verify-audit.ts')]);
      startProcess('gateway/main.ts'); const other = 'subgraphs/municipal/store.ts';`;
    expect(processesStartedBy(spawning, entries).sort()).toEqual([
      'gateway/main.ts',
      'scripts/verify-audit.ts',
    ]);
    expect(processesStartedBy("const example = 'gateway/main.ts';", entries)).toEqual([]);
  });
});
