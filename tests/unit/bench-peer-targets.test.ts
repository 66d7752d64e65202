// The benchmark's targets against Hive Gateway read the matching rows: router-runtime and plain, dedup on with dedup on, off with off.
import type { Summary } from '../../bench/lib/rounds';
import type { StandardOutcome } from '../../bench/standard/run';
import { roundTwoTargets } from '../../bench/targets';

function summary(id: string, rps: number): Summary {
  return { id, label: id, rounds: [], rps, p50: 1, p99: 1, errors: 0, peakRssMb: 100, cpuMsPerRequest: 1 };
}

function outcome(rps: Record<string, number>, responseBytes: number): StandardOutcome {
  return {
    summaries: Object.entries(rps).map(([id, r]) => summary(id, r)),
    mismatches: [],
    responseBytes,
  };
}

const SMALL = outcome(
  {
    stock: 10,
    hive: 40,
    'hive-nodedup': 20,
    'hive-router': 100,
    'hive-router-nodedup': 50,
    'crossgate-pooled': 60,
    'crossgate-dedup': 80,
  },
  13 * 1024,
);
const LARGE = outcome(
  {
    stock: 2,
    hive: 4,
    'hive-nodedup': 2,
    'hive-router': 8,
    'hive-router-nodedup': 4,
    'crossgate-pooled': 6,
    'crossgate-dedup': 16,
  },
  120 * 1024,
);

function target(name: string, small: StandardOutcome | null, large: StandardOutcome | null) {
  const found = roundTwoTargets(small, large, null, 'crossgate').find((t) => t.name === name);
  if (!found) throw new Error(`no target named ${name}`);
  return found;
}

describe('targets against Hive Gateway', () => {
  it('compares dedup on with the router-runtime row that dedups, at both sizes', () => {
    const t = target(
      'standard workload req/s vs Hive Gateway + router-runtime (one process each), dedup on (both)',
      SMALL,
      LARGE,
    );
    expect(t.measured).toBe('0.80× (13 KB); 2.00× (120 KB)');
    expect(t.met).toBe(false);
  });

  it('compares dedup off with the router-runtime row without dedup', () => {
    const t = target(
      'standard workload req/s vs Hive Gateway + router-runtime (one process each), dedup off (both)',
      SMALL,
      LARGE,
    );
    expect(t.measured).toBe('1.20× (13 KB); 1.50× (120 KB)');
    expect(t.met).toBe(true);
  });

  it('compares with plain Hive Gateway the same way', () => {
    const on = target(
      'standard workload req/s vs plain Hive Gateway (one process each), dedup on (both)',
      SMALL,
      LARGE,
    );
    const off = target(
      'standard workload req/s vs plain Hive Gateway (one process each), dedup off (both)',
      SMALL,
      LARGE,
    );
    expect(on.measured).toBe('2.00× (13 KB); 4.00× (120 KB)');
    expect(off.measured).toBe('3.00× (13 KB); 3.00× (120 KB)');
  });

  it('says "not measured" when the router-runtime rows did not run', () => {
    const withoutRouter = outcome({ stock: 10, hive: 40, 'crossgate-dedup': 80 }, 13 * 1024);
    const t = target(
      'standard workload req/s vs Hive Gateway + router-runtime (one process each), dedup on (both)',
      withoutRouter,
      null,
    );
    expect(t.measured).toBe('not measured');
    expect(t.met).toBeNull();
  });
});
