// One cross-border query traced end to end with an in-memory exporter: one gateway span, one fetch
// per municipality below it, each municipality's server span continuing the traceparent, and its
// SQL statements below that; no attribute carries a holder's name or a record id. And the
// Prometheus series of the gateway and a municipality after such queries, without personal data.
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../../common/tracing';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import { type InProcessRegion, startRegion } from '../support/in-process';

const region = generateRegion({
  seed: 17,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 20,
  placementsPerMunicipality: 20,
});
const exporter = new InMemorySpanExporter();
let stopTracing: () => Promise<void>;
let r: InProcessRegion;

beforeAll(async () => {
  stopTracing = await startTracing({
    serviceName: 'crossgate-test',
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    sampler: new AlwaysOnSampler(),
  });
  r = await startRegion({ region, today: '2026-11-01' });
}, 300_000);
afterAll(async () => {
  await r?.close();
  await stopTracing?.();
});

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const idOf = (s: ReadableSpan) => s.spanContext().spanId;

function descendsFrom(span: ReadableSpan, ancestor: ReadableSpan, byId: Map<string, ReadableSpan>): boolean {
  for (let p = parentOf(span); p; p = byId.get(p) && parentOf(byId.get(p) as ReadableSpan)) {
    if (p === idOf(ancestor)) return true;
    if (!byId.has(p)) return false;
  }
  return false;
}

describe('a traced cross-border query', () => {
  it('forms one tree: gateway, one fetch per municipality, its server span, its SQL', async () => {
    // The gateway reads the registry's key directory on its first checked answer and keeps it: that
    // read is its own trace. One query first, so the traced one shows only its own work.
    await r.query('{ credentials(first: 1) { edges { node { id } } } }');
    exporter.reset();
    const res = await r.query(
      '{ credentials(first: 6) { edges { node { id status holder { displayName } } } } }',
    );
    expect(res.errors).toBeUndefined();
    const issuers = new Set(
      res.data.credentials.edges.map((e: { node: { id: string } }) => e.node.id.split(':')[0]),
    );
    expect(issuers.size).toBeGreaterThan(1);

    const spans = exporter.getFinishedSpans();
    const byId = new Map(spans.map((s) => [idOf(s), s]));
    const gatewaySpans = spans.filter((s) => s.attributes['crossgate.process_kind'] === 'gateway');
    expect(gatewaySpans).toHaveLength(1);
    const gateway = gatewaySpans[0] as ReadableSpan;
    expect(parentOf(gateway)).toBeUndefined();
    expect(spans.every((s) => s.spanContext().traceId === gateway.spanContext().traceId)).toBe(true);

    const fetches = spans.filter((s) => s.name.startsWith('fetch credentials '));
    const members = fetches.map((s) => s.attributes['crossgate.member']).sort();
    expect(members).toEqual(DEMO_MUNICIPALITIES.map((m) => m.code).sort());
    for (const fetch of fetches) {
      expect(descendsFrom(fetch, gateway, byId)).toBe(true);
      const served = spans.filter(
        (s) => s.attributes['crossgate.process_kind'] === 'municipal' && parentOf(s) === idOf(fetch),
      );
      expect(served).toHaveLength(1);
      const sql = spans.filter(
        (s) => s.attributes['db.system.name'] && descendsFrom(s, served[0] as ReadableSpan, byId),
      );
      expect(sql.length).toBeGreaterThan(0);
      expect(sql.every((s) => String(s.attributes['db.operation.name']).length > 0)).toBe(true);
    }

    const names = region.holders.map((h) => h.displayName);
    const values = spans.flatMap((s) => Object.values(s.attributes).map(String));
    const ids = res.data.credentials.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(values.filter((v) => names.some((n) => v.includes(n)))).toEqual([]);
    expect(values.filter((v) => ids.some((id: string) => v.includes(id)))).toEqual([]);
  });
});

describe('the metrics of a region', () => {
  const scrape = async (url: string) => (await fetch(`${url}/metrics`)).text();
  const sample = (text: string, name: string, labels: Record<string, string>) =>
    text
      .split('\n')
      .filter(
        (l) =>
          l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
      )
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0);

  it('count operations, upstream fetches, circuits, plan cache, membership, refusals and SQL', async () => {
    await r.query('query Members { municipalities { code } }');
    await r.query('query Members { municipalities { code } }');
    await r.query('query Page { credentials(first: 4) { edges { node { id holder { displayName } } } } }');
    const unsigned = await fetch(r.shards[0]?.server.credentialsUrl as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(unsigned.status).toBe(401);

    const gateway = await scrape(r.gateway.url);
    expect(sample(gateway, 'crossgate_graphql_requests_total', { operation: 'Members', outcome: 'OK' })).toBe(
      2,
    );
    expect(sample(gateway, 'crossgate_graphql_request_duration_seconds_count', { operation: 'Page' })).toBe(
      1,
    );
    expect(
      sample(gateway, 'crossgate_query_plan_cache_lookups_total', { result: 'hit' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(gateway, 'crossgate_query_plan_cache_lookups_total', { result: 'miss' }),
    ).toBeGreaterThanOrEqual(2);
    for (const m of DEMO_MUNICIPALITIES) {
      expect(
        sample(gateway, 'crossgate_subgraph_fetch_duration_seconds_count', {
          member: m.code,
          subgraph: 'credentials',
        }),
      ).toBeGreaterThan(0);
      expect(gateway).toContain(`crossgate_circuit_state{member="${m.code}",subgraph="credentials"`);
    }
    expect(sample(gateway, 'crossgate_membership_members', { status: 'ACTIVE' })).toBe(
      DEMO_MUNICIPALITIES.length,
    );
    expect(sample(gateway, 'crossgate_membership_changes_total', {})).toBeGreaterThanOrEqual(0);
    expect(gateway).toContain('crossgate_rate_limit_refusals_total');

    const municipal = await scrape(r.shards[0]?.server.url as string);
    expect(
      sample(municipal, 'crossgate_sql_statements_total', { adapter: 'native', operation: 'SELECT' }),
    ).toBeGreaterThan(0);
    expect(
      sample(municipal, 'crossgate_sql_statement_duration_seconds_count', { adapter: 'native' }),
    ).toBeGreaterThan(0);
    expect(sample(municipal, 'crossgate_signature_refusals_total', { reason: 'missing' })).toBe(1);
    expect(sample(municipal, 'crossgate_audit_entries_appended_total', {})).toBeGreaterThan(0);

    const names = region.holders.map((h) => h.displayName);
    const labelValues = [gateway, municipal].flatMap((text) =>
      [...text.matchAll(/="([^"]*)"/g)].map((m) => m[1] as string),
    );
    expect(
      labelValues.filter((v) => names.some((n) => v.includes(n)) || /[A-Z]{2}:[A-Z]-?\d/.test(v)),
    ).toEqual([]);
  });
});
