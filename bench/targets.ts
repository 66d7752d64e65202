// The targets of "Performance, round two": today's figure, the goal and this run's measurement.
import type { DomainOutcome } from './domain/run';
import type { StandardOutcome } from './standard/run';

export interface Target {
  name: string;
  today: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

const x = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
const times = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : 'n/a');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');

/** Ratio rows: `ours` against `theirs` in each outcome given, side by side. */
function ratioTarget(
  name: string,
  today: string,
  goal: number,
  outcomes: readonly [string, StandardOutcome | null][],
  ours: string,
  theirs: string,
): Target {
  const found = outcomes.map(([size, o]) => {
    const a = o?.summaries.find((s) => s.id === ours);
    const b = o?.summaries.find((s) => s.id === theirs);
    return { size, r: a && b ? x(a.rps, b.rps) : Number.NaN };
  });
  const measured = found.filter((f) => Number.isFinite(f.r));
  return {
    name,
    today,
    goal: `≥ ${goal}×`,
    measured: measured.length ? measured.map((f) => `${times(f.r)} (${f.size})`).join('; ') : 'not measured',
    met: measured.length ? measured.every((f) => f.r >= goal) : null,
  };
}

export function roundTwoTargets(
  small: StandardOutcome | null,
  large: StandardOutcome | null,
  dom: DomainOutcome | null,
  headline: string,
): Target[] {
  const sizes: [string, StandardOutcome | null][] = [
    [`${small ? (small.responseBytes / 1024).toFixed(0) : '?'} KB`, small],
    [`${large ? (large.responseBytes / 1024).toFixed(0) : '?'} KB`, large],
  ];
  const out: Target[] = [
    ratioTarget(
      'standard workload, dedup off, req/s vs stock @apollo/gateway (one process each)',
      '2.53× (13 KB); 1.72× on ~87 KB elsewhere',
      4,
      sizes,
      'crossgate-pooled',
      'stock',
    ),
    ratioTarget(
      'standard workload req/s vs Hive Gateway + router-runtime (one process each), dedup on (both)',
      'not measured',
      1,
      sizes,
      'crossgate-dedup',
      'hive-router',
    ),
    ratioTarget(
      'standard workload req/s vs Hive Gateway + router-runtime (one process each), dedup off (both)',
      'not measured',
      1,
      sizes,
      'crossgate-pooled',
      'hive-router-nodedup',
    ),
    ratioTarget(
      'standard workload req/s vs plain Hive Gateway (one process each), dedup on (both)',
      '1.61×–2.63×',
      1,
      sizes,
      'crossgate-dedup',
      'hive',
    ),
    ratioTarget(
      'standard workload req/s vs plain Hive Gateway (one process each), dedup off (both)',
      'not measured',
      1,
      sizes,
      'crossgate-pooled',
      'hive-nodedup',
    ),
    ratioTarget(
      'standard workload, workers (dedup off) vs stock cluster, same worker count',
      'not measured',
      2.5,
      sizes,
      'crossgate-workers-pooled',
      'stock-cluster',
    ),
  ];
  if (dom) {
    const { gateway, subgraph } = dom.hundred;
    const hundred = x(gateway.rps, subgraph.rps);
    out.push({
      name: '100 credentials + registry join, req/s vs the subgraph alone',
      today: '0.45×',
      goal: '≥ 0.7×',
      measured: times(hundred),
      met: hundred >= 0.7,
    });
  }
  const verification = dom?.rows[0];
  if (verification) {
    out.push({
      name: 'verification: gateway CPU ms per request',
      today: '3.5',
      goal: '≤ 1.5',
      measured: ms(verification.summary.cpuMsPerRequest),
      met: verification.summary.cpuMsPerRequest <= 1.5,
    });
    const statements = verification.statementsPerRequest ?? Number.NaN;
    out.push({
      name: 'verification: SQL statements per request (owner + registry, audit append included)',
      today: '15 (audit not counted)',
      goal: '≤ 5',
      measured: Number.isFinite(statements) ? statements.toFixed(2) : 'n/a',
      met: Number.isFinite(statements) ? statements <= 5 : null,
    });
  }
  const flows = dom?.rows[2];
  if (flows)
    out.push({
      name: 'flows by year: gateway CPU ms per request',
      today: '15.9',
      goal: '≤ 5',
      measured: ms(flows.summary.cpuMsPerRequest),
      met: flows.summary.cpuMsPerRequest <= 5,
    });
  const cg = small?.summaries.find((s) => s.id === headline);
  if (cg)
    out.push({
      name: 'peak gateway RSS, standard workload under load (heap 224 MB row)',
      today: '184 MB',
      goal: '≤ 200 MB',
      measured: `${cg.peakRssMb.toFixed(0)} MB`,
      met: cg.peakRssMb <= 200,
    });
  return out;
}
