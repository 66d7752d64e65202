// `npm run bench:flows`: runs the workforce-flows benchmark and records it in BENCHMARKS.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { type FlowsBenchResult, runFlowsBenchmark } from './run';

const HEADING = '## Workforce flows';

function section(result: FlowsBenchResult, rounds: number): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    HEADING,
    '',
    `Command: \`npm run bench:flows\` (FLOWS_BENCH_PLACEMENTS=${result.placements}, ${rounds} alternating rounds, medians).`,
    `Machine: ${cpus().length} × ${cpu}, Node ${process.version}; PostgreSQL on the same machine, one database per`,
    `municipality (NB, SB, RV), ${result.placements.toLocaleString('en')} placements loaded in ${result.seedSeconds.toFixed(0)} s`,
    'with INSERT … SELECT over generate_series, index `placement_flow (municipality, start_date, isco_code, credential_id)`.',
    '',
    'Gateway: `workforceFlows(granularity:)` with cells, corridors, series and totals, through the gateway (each',
    'municipality runs its GROUP BY, the gateway sums the groups and applies suppression). SQL: the same GROUP BY',
    'sent directly to the three databases in parallel. Ratio = gateway p50 / SQL p50.',
    '',
    '| granularity | cells | withheld | gateway p50 ms | SQL p50 ms | ratio |',
    '|---|---:|---:|---:|---:|---:|',
    ...result.rows.map(
      (r) =>
        `| ${r.granularity} | ${r.cells} | ${r.suppressedCells} | ${r.gatewayP50.toFixed(0)} | ${r.sqlP50.toFixed(0)} | ${r.ratio.toFixed(2)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

async function main() {
  const placements = Number(process.env.FLOWS_BENCH_PLACEMENTS ?? 1_050_000);
  const rounds = Number(process.env.FLOWS_BENCH_ROUNDS ?? 7);
  const serverUrl = process.env.FLOWS_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const result = await runFlowsBenchmark({ serverUrl, placements, rounds, log: (l) => console.log(l) });
  const file = join(__dirname, '..', '..', 'BENCHMARKS.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(HEADING);
  const next = start < 0 ? -1 : current.indexOf('\n## ', start + HEADING.length);
  const text = section(result, rounds);
  const updated =
    start < 0
      ? `${current.trimEnd()}\n\n${text}`
      : `${current.slice(0, start)}${text}${next < 0 ? '' : current.slice(next + 1)}`;
  writeFileSync(file, `${updated.trimEnd()}\n`);
  console.log(`wrote the "${HEADING.slice(3)}" section of BENCHMARKS.md`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
