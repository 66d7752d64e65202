// What observability and signatures cost the gateway: pairs of rows measured side by side in one run
// (gateway CPU per request and requests/s, without and with), their targets, and their section of the report.
import type { DomainOutcome } from './domain/run';
import type { Summary } from './lib/rounds';
import type { StandardOutcome } from './standard/run';
import type { Target } from './targets';

/** One workload measured without and with the thing whose cost is asked. */
export interface CostPair {
  workload: string;
  without: Summary;
  with: Summary;
}

/** The standard workload's one-process row without dedup, and the same row observed. */
export const STANDARD_PLAIN = 'crossgate-pooled';
export const STANDARD_OBSERVED = 'crossgate-pooled-observed';

const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
const times = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : 'n/a');
const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(0)} %` : 'n/a');

/** CPU per request with over without: above 1 is what the thing costs. */
export const cpuRatio = (p: CostPair) => ratio(p.with.cpuMsPerRequest, p.without.cpuMsPerRequest);
/** Requests/s with over without: below 1 is what the thing loses. */
export const rpsRatio = (p: CostPair) => ratio(p.with.rps, p.without.rps);

function standardPair(workload: string, o: StandardOutcome | null): CostPair[] {
  const without = o?.summaries.find((s) => s.id === STANDARD_PLAIN);
  const withIt = o?.summaries.find((s) => s.id === STANDARD_OBSERVED);
  return without && withIt ? [{ workload, without, with: withIt }] : [];
}

const HUNDRED = '100 credentials plus one registry join';

const sized = (o: StandardOutcome) => `standard workload, ${(o.responseBytes / 1024).toFixed(0)} KB answer`;

/** Every workload's Crossgate row against the same gateway with metrics scraped and traces sampled. */
export function observabilityPairs(
  small: StandardOutcome | null,
  large: StandardOutcome | null,
  dom: DomainOutcome | null,
): CostPair[] {
  return [
    ...(small ? standardPair(sized(small), small) : []),
    ...(large ? standardPair(sized(large), large) : []),
    ...(dom?.rows.map((r) => ({ workload: r.workload, without: r.summary, with: r.observed })) ?? []),
    ...(dom ? [{ workload: HUNDRED, without: dom.hundred.gateway, with: dom.hundred.gatewayObserved }] : []),
  ];
}

/** Every domain workload without signatures against the same with them (the gateway as it ships). */
export function signaturePairs(dom: DomainOutcome | null): CostPair[] {
  if (!dom) return [];
  return [
    ...dom.rows.map((r) => ({ workload: r.workload, without: r.unsigned, with: r.summary })),
    { workload: HUNDRED, without: dom.hundred.gatewayUnsigned, with: dom.hundred.gateway },
  ];
}

/** The performance targets of metrics and tracing (at most 10 % more CPU) and of signatures. */
export function costTargets(
  observed: readonly CostPair[],
  signed: readonly CostPair[],
  dom: DomainOutcome | null,
) {
  const out: Target[] = [];
  if (observed.length > 0) {
    const ratios = observed.map(cpuRatio);
    out.push({
      name: 'metrics and tracing (10 % sampled): gateway CPU per request, observed vs not, every workload',
      today: 'not measured',
      goal: '≤ 1.10×',
      measured: `${times(Math.min(...ratios))}–${times(Math.max(...ratios))}`,
      met: ratios.every((r) => r <= 1.1),
    });
  }
  const share = dom?.rows[0]?.share?.gatewayShare;
  if (share !== undefined)
    out.push({
      name: "verification: the gateway's share of latency, signatures on",
      today: 'not measured',
      goal: '≤ 25 %',
      measured: pct(share),
      met: share <= 0.25,
    });
  const hundred = signed.find((p) => p.workload === HUNDRED);
  if (hundred)
    out.push({
      name: '100 credentials: req/s with signatures vs without',
      today: 'not measured',
      goal: '≥ 0.90×',
      measured: times(rpsRatio(hundred)),
      met: rpsRatio(hundred) >= 0.9,
    });
  return out;
}

function pairTable(pairs: readonly CostPair[], off: string, on: string): string[] {
  return [
    `| workload | CPU ms/req, ${off} | CPU ms/req, ${on} | CPU/req ratio | req/s, ${off} | req/s, ${on} | req/s ratio | errors (${off} / ${on}) |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...pairs.map(
      (p) =>
        `| ${p.workload} | ${f(p.without.cpuMsPerRequest, 2)} | ${f(p.with.cpuMsPerRequest, 2)} | ${times(cpuRatio(p))} | ${f(p.without.rps)} | ${f(p.with.rps)} | ${times(rpsRatio(p))} | ${p.without.errors} / ${p.with.errors} |`,
    ),
  ];
}

export interface CostContext {
  /** What the trace sink received over the run. */
  sink: { exports: number; bytes: number };
  sampleRatio: number;
  scrapeMs: number;
}

/** Markdown: the targets, then one table per cost, every ratio from rows of this run measured side by side. */
export function costSection(
  observed: readonly CostPair[],
  signed: readonly CostPair[],
  dom: DomainOutcome | null,
  ctx: CostContext,
): string[] {
  if (observed.length === 0 && signed.length === 0) return [];
  const lines = [
    '### What metrics, tracing and signatures cost the gateway',
    '',
    'Each pair ran in the same alternating rounds as the rows above; a ratio reads "with" over "without".',
    '',
    '| target | today | goal | measured | met |',
    '|---|---|---|---|---|',
    ...costTargets(observed, signed, dom).map(
      (t) =>
        `| ${t.name} | ${t.today} | ${t.goal} | ${t.measured} | ${t.met === null ? 'n/a' : t.met ? 'yes' : 'no'} |`,
    ),
    '',
  ];
  if (observed.length > 0)
    lines.push(
      '#### Metrics and tracing',
      '',
      `Observed: Prometheus metrics with the default process collectors, /metrics scraped by the bench every ${ctx.scrapeMs / 1000} s; OpenTelemetry traces (\`OTEL_TRACES_SAMPLER=parentbased_traceidratio\`, \`OTEL_TRACES_SAMPLER_ARG=${ctx.sampleRatio}\`) exported over OTLP/HTTP (JSON) to a sink the bench runs, which discarded ${ctx.sink.exports} exports (${f(ctx.sink.bytes / 1024, 0)} KB) in this run. Plain: the same gateway, untraced and unscraped (the regional gateway keeps its metric counters, without the default collectors; the standard workload's gateway has none).`,
      '',
      ...pairTable(observed, 'plain', 'observed'),
      '',
    );
  if (signed.length > 0) {
    lines.push(
      '#### Signatures',
      '',
      "Signatures off: a second region started by the bench's own serve scripts with pass-through signers and verifiers injected (`bench/serve/unsigned.ts`): the gateway signs no call and checks no answer, members check no signature and sign no answer; each member still checks the caller's token. The variant runs without in-flight dedup: unsigned, identical concurrent calls would be shared, which signed calls (each with its own nonce) never are, so without it both variants make the same calls to the members.",
      '',
      ...pairTable(signed, 'signatures off', 'signatures on'),
      '',
    );
    const share = dom?.rows[0];
    if (share?.share)
      lines.push(
        `Verification, sequential requests: gateway share of latency ${pct(share.share.gatewayShare)} with signatures (p50 ${f(share.share.p50Ms)} ms, subgraphs ${f(share.share.subgraphP50Ms)} ms), ${pct(share.unsignedShare.gatewayShare)} without (p50 ${f(share.unsignedShare.p50Ms)} ms, subgraphs ${f(share.unsignedShare.subgraphP50Ms)} ms).`,
        '',
      );
  }
  return lines;
}
