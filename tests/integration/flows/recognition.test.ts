// FlowReport.recognition through the gateway: placements by the recognition outcome of the
// credential used, equal to decideRecognition applied placement by placement to the seed data.

import type { PlacementData } from '../../../common/region-records';
import type { Shard } from '../../../gateway/src/fanout/shards';
import { FLOW_OUTCOMES, type OutcomeCounts } from '../../../gateway/src/workforce-flows/flow-outcomes';
import { DEMO_AGREEMENTS } from '../../../scripts/seed/agreements';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { decideRecognition } from '../../../subgraphs/registry/modules/recognition/decide';
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

const FLOWS = `query Flows($from: [ID!], $to: [ID!], $isco: String, $period: PeriodRange) {
  workforceFlows(from: $from, to: $to, isco: $isco, period: $period) {
    totals { placements suppressed }
    corridors { from { code } to { code } placements suppressed }
    recognition { outcome placements share suppressed }
  }
}`;

interface Share {
  outcome: (typeof FLOW_OUTCOMES)[number];
  placements: number | null;
  share: number | null;
  suppressed: boolean;
}

/** The oracle: each placement decided on its own from the seed data, with decideRecognition. */
function expectedOutcomes(filter: (p: PlacementData) => boolean): OutcomeCounts {
  const credentials = new Map(region.credentials.map((c) => [`${c.municipality}:${c.localId}`, c]));
  const qualifications = new Map(region.qualifications.map((q) => [`${q.municipality}:${q.localId}`, q]));
  const standards = new Map(region.standards.map((s) => [s.code, s]));
  const out = Object.fromEntries(FLOW_OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;
  for (const p of region.placements.filter(filter)) {
    const issuer = p.credentialId.split(':')[0] ?? '';
    const c = credentials.get(p.credentialId);
    if (issuer === p.municipality) {
      out.HOME++;
      continue;
    }
    if (!c) {
      out.UNKNOWN++;
      continue;
    }
    const q = qualifications.get(`${c.municipality}:${c.qualificationLocalId}`);
    const standard = q?.standardCode ? standards.get(q.standardCode) : undefined;
    const decision = decideRecognition({
      credential: {
        issuer,
        status: c.status,
        validFrom: c.validFrom,
        validUntil: c.validUntil,
        eqfLevel: q?.eqfLevel ?? null,
      },
      standard: standard ?? null,
      destination: p.municipality,
      at: p.startDate,
      agreements: DEMO_AGREEMENTS,
    });
    out[decision.outcome]++;
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
    // One database for the whole region, publishing every count: the oracle is compared in full.
    startRegion({
      region,
      shards: [{ codes: ['NB', 'SB', 'RV'] }],
      gateway: { flowSuppressionThreshold: 1 },
    }),
  ]);
}, 180_000);
afterAll(async () => {
  await split?.close();
  await single?.close();
});

describe('workforceFlows recognition breakdown', () => {
  const cases: [string, Record<string, unknown>, (p: PlacementData) => boolean][] = [
    ['the whole region', {}, () => true],
    [
      'craft trades into Northbank',
      { isco: '7', to: ['NB'] },
      (p) => p.iscoCode.startsWith('7') && p.municipality === 'NB',
    ],
    [
      'from Southbank and Riverside since 2022',
      { from: ['SB', 'RV'], period: { from: '2022-01-01' } },
      (p) => ['SB', 'RV'].includes(p.credentialId.split(':')[0] ?? '') && p.startDate >= '2022-01-01',
    ],
  ];

  it.each(cases)(
    'counts placements by outcome as decideRecognition does, one by one, for %s',
    async (_, variables, filter) => {
      const truth = expectedOutcomes(filter);
      const total = Object.values(truth).reduce((a, b) => a + b, 0);
      expect(total).toBe(region.placements.filter(filter).length);
      // One municipality per database, small counts withheld; and one database publishing everything.
      const [res, whole] = await Promise.all([split.query(FLOWS, variables), single.query(FLOWS, variables)]);
      expect(res.errors).toBeUndefined();
      expect(whole.errors).toBeUndefined();
      expect(whole.data.workforceFlows.recognition).toEqual(
        FLOW_OUTCOMES.map((o) => ({
          outcome: o,
          placements: truth[o],
          share: truth[o] / total,
          suppressed: false,
        })),
      );
      const report = res.data.workforceFlows;
      expect(report.totals.placements).toBe(total);
      const shares = report.recognition as Share[];
      expect(shares.map((s) => s.outcome)).toEqual([...FLOW_OUTCOMES]);
      for (const s of shares) {
        const n = truth[s.outcome];
        if (n > 0 && n < 5) expect(s.suppressed).toBe(true);
        if (s.suppressed) expect(s).toMatchObject({ placements: null, share: null });
        else expect(s).toMatchObject({ placements: n, share: n / total });
      }
    },
  );

  it('finds every kind of outcome in the seed data, so the comparison covers them all', () => {
    const truth = expectedOutcomes(() => true);
    for (const o of ['HOME', 'RECOGNISED', 'CONDITIONAL', 'NOT_RECOGNISED'] as const)
      expect(truth[o]).toBeGreaterThan(0);
  });

  it('asks each municipality a fixed number of times and runs a fixed number of statements, whatever the placements', async () => {
    calls.length = 0;
    for (const s of split.shards) s.counter.reset();
    const res = await split.query(FLOWS, {});
    expect(res.errors).toBeUndefined();
    const perShard = new Map<string, number>();
    for (const c of calls) perShard.set(c.shard, (perShard.get(c.shard) ?? 0) + 1);
    // the report's own GROUP BY, credentials used, facts of its own credentials, grouped placements
    expect([...perShard.values()]).toEqual([4, 4, 4]);
    for (const s of split.shards) expect(s.counter.count).toBeLessThanOrEqual(5);
  });

  it('notes in the issuer’s audit log every credential whose facts it released', async () => {
    const res = await split.query(FLOWS, { from: ['SB'], to: ['NB'] });
    expect(res.errors).toBeUndefined();
    const sb = split.shards.find((s) => s.spec.codes.includes('SB'));
    const entries = await sb?.audit.readAll();
    const released = new Set(
      (entries ?? [])
        .filter((e) => e.fields.includes('Query.flowCredentialFacts'))
        .flatMap((e) => e.recordIds),
    );
    const used = region.placements
      .filter((p) => p.municipality === 'NB' && p.credentialId.startsWith('SB:'))
      .map((p) => p.credentialId);
    expect(used.length).toBeGreaterThan(0);
    for (const id of used) expect(released.has(id)).toBe(true);
  });

  it('costs nothing more when the breakdown is not selected', async () => {
    calls.length = 0;
    const res = await split.query('{ workforceFlows { totals { placements } } }');
    expect(res.errors).toBeUndefined();
    expect(calls).toHaveLength(3);
  });

  it('counts as UNKNOWN the placements whose issuer does not answer, and says which municipality failed', async () => {
    const rv = split.shards.find((s) => s.spec.codes.includes('RV'));
    await rv?.server.close();
    const res = await split.query(FLOWS, { from: ['RV'], to: ['NB'] });
    const fromRv = region.placements.filter(
      (p) => p.municipality === 'NB' && p.credentialId.startsWith('RV:'),
    );
    const shares = res.data.workforceFlows.recognition as Share[];
    expect(res.data.workforceFlows.totals.placements).toBe(fromRv.length);
    expect(shares.find((s) => s.outcome === 'UNKNOWN')).toMatchObject({
      placements: fromRv.length,
      share: 1,
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'MUNICIPALITY_UNAVAILABLE',
      municipality: 'RV',
    });
    expect(JSON.stringify(res.errors)).not.toMatch(/https?:|SELECT|credential_id/);
  });
});
