// The test sequencer starts the suite's longest files first and leaves every other file in Jest's order.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const LongestFirst = require('../support/sequencer.js') as {
  new (options: { contexts: unknown[]; globalConfig: unknown }): { sort(tests: FakeTest[]): FakeTest[] };
  LONGEST_FIRST: string[];
};

interface FakeTest {
  path: string;
  context: {
    config: { rootDir: string; cacheDirectory: string; name: string };
    hasteFS: { getSize(p: string): number };
  };
  duration?: number;
}

const sizes: Record<string, number> = {};
const context = {
  config: {
    rootDir: ROOT,
    cacheDirectory: join(ROOT, 'tests/artifacts/no-jest-cache'),
    name: 'sequencer-test',
  },
  hasteFS: { getSize: (p: string) => sizes[p] ?? 0 },
};
const fake = (file: string, size: number): FakeTest => {
  const path = join(ROOT, file);
  sizes[path] = size;
  return { path, context };
};

describe('the test sequencer', () => {
  it('names files that exist', () => {
    expect(LongestFirst.LONGEST_FIRST.length).toBeGreaterThan(0);
    expect(LongestFirst.LONGEST_FIRST.filter((f) => !existsSync(join(ROOT, f)))).toEqual([]);
  });

  it('puts the long files first in their order, then the rest by size as Jest does without timings', () => {
    const [first, second] = LongestFirst.LONGEST_FIRST as [string, string];
    const tests = [
      fake('tests/unit/a-small.test.ts', 10),
      fake(second, 1),
      fake('tests/unit/b-large.test.ts', 5000),
      fake(first, 2),
      fake('tests/unit/c-medium.test.ts', 300),
    ];
    const sorted = new LongestFirst({ contexts: [context], globalConfig: {} }).sort(tests);
    expect(sorted.map((t) => t.path.slice(ROOT.length + 1))).toEqual([
      first,
      second,
      'tests/unit/b-large.test.ts',
      'tests/unit/c-medium.test.ts',
      'tests/unit/a-small.test.ts',
    ]);
  });
});
