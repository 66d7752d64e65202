// workforceFlows through the gateway: each municipality counts in SQL, the gateway sums by group,
// suppresses after the sum, prunes shards by destination and rejects malformed filters.
import type { Shard } from '../../../gateway/src/fanout/shards';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { type InProcessRegion, startRegion } from '../../support/in-process';

const region = generateRegion({
  seed: 11,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 60,
  placementsPerMunicipality: 400,
});
const calls: { subgraph: string; shard: string }[] = [];
let split: InProcessRegion;
let single: InProcessRegion;

const FLOWS = `query Flows($from: [ID!], $to: [ID!], $isco: String, $period: PeriodRange, $g: Granularity) {
  workforceFlows(from: $from, to: $to, isco: $isco, period: $period, granularity: $g) {
    granularity threshold
    cells { from { code } to { code } occupation { iscoCode } period placements suppressed }
    corridors { from { code } to { code } placements suppressed }
    timeSeries { period placements suppressed }
    totals { placements suppressed cells suppressedCells }
  }
}`;

interface Cell {
  from: { code: string };
  to: { code: string };
  occupation: { iscoCode: string };
  period: string;
  placements: number | null;
  suppressed: boolean;
}

/** Counts placements of the seed data directly: the oracle. */
function expectedCounts(
  filter: (p: (typeof region.placements)[number]) => boolean,
  label: (d: string) => string,
) {
  const out = new Map<string, number>();
  for (const p of region.placements.filter(filter)) {
    const k = `${p.credentialId.split(':')[0]}|${p.municipality}|${p.iscoCode}|${label(p.startDate)}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

beforeAll(async () => {
  [split, single] = await Promise.all([
    startRegion({
      region,
      gatewayDeps: {
        onShardCall: ({ subgraph, shard }: { subgraph: string; shard: Shard }) =>
          calls.push({ subgraph, shard: shard.id }),
      },
    }),
    startRegion({ region, shards: [{ codes: ['NB', 'SB', 'RV'] }] }),
  ]);
}, 180_000);
afterAll(async () => {
  await split?.close();
  await single?.close();
});

describe('workforceFlows', () => {
  it('sums every municipality’s counts by group and publishes only counts of at least the threshold', async () => {
    const res = await split.query(FLOWS, { isco: '7', period: { from: '2020-01-01', to: '2024-12-31' } });
    expect(res.errors).toBeUndefined();
    const report = res.data.workforceFlows;
    const expected = expectedCounts(
      (p) => p.iscoCode.startsWith('7') && p.startDate >= '2020-01-01' && p.startDate <= '2024-12-31',
      (d) => d.slice(0, 4),
    );
    const cells = report.cells as Cell[];
    expect(cells).toHaveLength(expected.size);
    for (const c of cells) {
      const truth = expected.get(`${c.from.code}|${c.to.code}|${c.occupation.iscoCode}|${c.period}`);
      expect(truth).toBeDefined();
      if (c.suppressed) expect(c.placements).toBeNull();
      else expect(c.placements).toBe(truth);
      if ((truth ?? 0) < 5) expect(c.suppressed).toBe(true);
    }
    expect(cells.some((c) => c.suppressed)).toBe(true);
    expect(cells.some((c) => !c.suppressed)).toBe(true);
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(report.totals).toMatchObject({ placements: total, cells: expected.size, suppressed: false });
    expect(report.totals.suppressedCells).toBe(cells.filter((c) => c.suppressed).length);
    expect(report.threshold).toBe(5);
  });

  it('answers exactly as one database holding the whole region would', async () => {
    for (const variables of [
      { g: 'QUARTER', from: ['SB', 'RV'] },
      { g: 'MONTH', isco: '53', period: { from: '2023-01-01' } },
      { g: 'YEAR' },
    ]) {
      const [a, b] = await Promise.all([split.query(FLOWS, variables), single.query(FLOWS, variables)]);
      expect(a.errors).toBeUndefined();
      expect(a.data).toEqual(b.data);
    }
  });

  it('calls only the destination municipalities named in `to`', async () => {
    calls.length = 0;
    const res = await split.query(FLOWS, { to: ['SB'] });
    expect(res.errors).toBeUndefined();
    expect(calls).toEqual([{ subgraph: 'workforce', shard: 'SB' }]);
    const cells = res.data.workforceFlows.cells as Cell[];
    expect(cells.length).toBeGreaterThan(0);
    expect(new Set(cells.map((c) => c.to.code))).toEqual(new Set(['SB']));
  });

  it('keeps aliases, fragments and registry fields of the client’s selection', async () => {
    const res = await split.query(`{
      flows: workforceFlows(to: ["NB"], granularity: YEAR) {
        __typename
        lanes: corridors { ...Lane }
        sum: totals { all: placements }
      }
    }
    fragment Lane on FlowCorridor { origin: from { code name } placements }`);
    expect(res.errors).toBeUndefined();
    const flows = res.data.flows;
    expect(flows.__typename).toBe('FlowReport');
    expect(flows.sum.all).toBe(region.placements.filter((p) => p.municipality === 'NB').length);
    const names = Object.fromEntries(region.municipalities.map((m) => [m.code, m.name]));
    for (const lane of flows.lanes) expect(lane.origin.name).toBe(names[lane.origin.code]);
    expect(Object.keys(flows.lanes[0]).sort()).toEqual(['origin', 'placements']);
  });

  it.each([
    [{ isco: '7a' }, 'isco'],
    [{ isco: '74111' }, 'isco'],
    [{ period: { from: '2024-02-30' } }, 'period.from'],
    [{ period: { from: '2024-05-01', to: '2024-01-01' } }, 'period'],
    [{ from: ['nb'] }, 'from'],
    [{ to: ['SB', 'x'] }, 'to'],
  ])('rejects %j with BAD_USER_INPUT naming %s, before calling any municipality', async (variables, arg) => {
    calls.length = 0;
    const res = await split.query(FLOWS, variables);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: arg });
    expect(calls).toEqual([]);
  });

  it('exports the same suppressed cells as CSV, and rejects a malformed filter with 400', async () => {
    const api = await split.query(FLOWS, { to: ['RV'], isco: '5', g: 'QUARTER' });
    const res = await fetch(`${split.gateway.url}/dashboard/flows.csv?to=RV&isco=5&granularity=QUARTER`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('from,to,isco_code,period,placements,suppressed');
    const cells = api.data.workforceFlows.cells as Cell[];
    expect(lines.slice(1)).toEqual(
      cells.map((c) =>
        [c.from.code, c.to.code, c.occupation.iscoCode, c.period, c.placements ?? '', c.suppressed].join(','),
      ),
    );
    expect(lines.some((l) => l.endsWith(',,true'))).toBe(true);
    const bad = await fetch(`${split.gateway.url}/dashboard/flows.csv?isco=x7`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
