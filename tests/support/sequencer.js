// Jest's test order with the suite's long files first, so that no worker is left running one alone at the end.
const { relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * The files that take longest, longest first. Jest orders a run without timings of its own (a fresh
 * clone in CI) by file size, which put the short-to-read, long-to-run soak last: the other worker
 * then sat idle for minutes. Files not listed keep Jest's order (failed first, then its cached
 * durations or file size).
 */
const LONGEST_FIRST = [
  'tests/reliability/soak.test.ts',
  'tests/integration/fanout/oracle.test.ts',
  'tests/integration/registers/legacy-oracle.test.ts',
  'tests/production/replicas.test.ts',
  'tests/integration/processes/entry-points.test.ts',
  'tests/integration/processes/configuration.test.ts',
  // The embedded adapter files: left to Jest (by size) they came last, a minute each on one worker.
  'tests/adapters/registro-titulos.test.ts',
  'tests/integration/registers/legacy-region.test.ts',
  'tests/adapters/pglite-native.test.ts',
  'tests/adapters/pglite-ledger.test.ts',
  'tests/adapters/onboarding.test.ts',
  'tests/adapters/pglite.test.ts',
];

class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const i = LONGEST_FIRST.indexOf(relative(test.context.config.rootDir, test.path).split('\\').join('/'));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    // Array.prototype.sort is stable: files of equal rank keep Jest's own order.
    return [...super.sort(tests)].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongestFirstSequencer;
module.exports.LONGEST_FIRST = LONGEST_FIRST;
