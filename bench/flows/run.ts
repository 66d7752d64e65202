// The workforce-flows benchmark: the flows query through the gateway over ≥ 1,000,000 placements
// in the demo municipalities, next to the same GROUP BY run directly in SQL, as a ratio.
import { Pool } from 'pg';
import { openPostgres } from '../../common/postgres';
import type { Granularity } from '../../schema/flows';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import { openNativeStore } from '../../subgraphs/municipal/adapters/native';
import { startRegion } from '../../tests/support/in-process';
import { dropFlowDatabases, type SeededDatabase, seedFlowDatabases } from './seed';

export interface FlowsBenchOptions {
  serverUrl: string;
  placements: number;
  rounds: number;
  log?: (line: string) => void;
}

export interface FlowsBenchRow {
  granularity: Granularity;
  cells: number;
  suppressedCells: number;
  gatewayP50: number;
  sqlP50: number;
  ratio: number;
}

export interface FlowsBenchResult {
  placements: number;
  seedSeconds: number;
  rows: FlowsBenchRow[];
}

const FORMAT: Record<Granularity, string> = { YEAR: 'YYYY', QUARTER: 'YYYY-"Q"Q', MONTH: 'YYYY-MM' };
const QUERY = `query($g: Granularity) { workforceFlows(granularity: $g) {
  cells { from { code } to { code } occupation { iscoCode } period placements suppressed }
  corridors { from { code } to { code } placements } timeSeries { period placements }
  totals { placements cells suppressedCells } } }`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

export async function runFlowsBenchmark(options: FlowsBenchOptions): Promise<FlowsBenchResult> {
  const log = options.log ?? (() => undefined);
  const codes = DEMO_MUNICIPALITIES.map((m) => m.code);
  const prefix = `crossgate_flows_bench_${process.pid}`;
  const perMunicipality = Math.ceil(options.placements / codes.length);
  const seedStart = performance.now();
  let dbs: SeededDatabase[] = [];
  const pools: Pool[] = [];
  try {
    log(`seeding ${perMunicipality * codes.length} placements into ${codes.length} PostgreSQL databases…`);
    dbs = await seedFlowDatabases(options.serverUrl, prefix, codes, perMunicipality);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const region = generateRegion({
      seed: 1,
      municipalities: DEMO_MUNICIPALITIES,
      holdersPerMunicipality: 1,
      placementsPerMunicipality: 0,
    });
    const r = await startRegion({
      region,
      shards: dbs.map((db) => ({
        codes: [db.code],
        store: async () => {
          const handle = await openPostgres({ kind: 'postgres', url: db.url });
          const store = await openNativeStore(handle, [db.code]);
          return { ...store, close: () => handle.close() };
        },
      })),
    });
    try {
      for (const db of dbs) pools.push(new Pool({ connectionString: db.url, max: 2 }));
      const rows: FlowsBenchRow[] = [];
      for (const granularity of ['YEAR', 'QUARTER', 'MONTH'] as const) {
        const sql = `/* bench:flows direct */ SELECT split_part(credential_id, ':', 1) AS origin, municipality,
          isco_code, to_char(start_date, '${FORMAT[granularity]}') AS period, count(*) AS placements
          FROM placement GROUP BY 1, 2, 3, 4`;
        const direct = () => Promise.all(pools.map((p) => p.query(sql)));
        const viaGateway = async () => {
          const res = await r.query(QUERY, { g: granularity });
          if (res.errors || !res.data) throw new Error(`flows query failed: ${JSON.stringify(res.errors)}`);
          return res.data.workforceFlows;
        };
        const report = await viaGateway();
        await direct();
        const g: number[] = [];
        const s: number[] = [];
        for (let i = 0; i < options.rounds; i++) {
          g.push(await timed(viaGateway));
          s.push(await timed(direct));
        }
        const row: FlowsBenchRow = {
          granularity,
          cells: report.totals.cells,
          suppressedCells: report.totals.suppressedCells,
          gatewayP50: median(g),
          sqlP50: median(s),
          ratio: median(g) / median(s),
        };
        log(
          `${granularity}: ${row.cells} cells (${row.suppressedCells} withheld), gateway p50 ${row.gatewayP50.toFixed(0)} ms, SQL p50 ${row.sqlP50.toFixed(0)} ms, ratio ${row.ratio.toFixed(2)}`,
        );
        rows.push(row);
      }
      return { placements: perMunicipality * codes.length, seedSeconds, rows };
    } finally {
      await r.close();
    }
  } finally {
    for (const p of pools) await p.end();
    await dropFlowDatabases(options.serverUrl, prefix, codes);
  }
}
