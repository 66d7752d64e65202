// Observes every call the gateway makes upstream (municipal shards, the registry): a client span
// carrying the W3C traceparent, and latency, error codes and timeouts per member in Prometheus.
import { Counter, Histogram } from 'prom-client';
import { LATENCY_BUCKETS, type ProcessMetrics } from '../../../common/metrics';
import { inClientSpan } from '../../../common/tracing';
import type { CallOutcome, SubgraphHttpClient } from '../datasources/http-client';

/** Which member and subgraph a URL belongs to (e.g. { member: 'NB', subgraph: 'credentials' }). */
export type UpstreamOf = (url: string) => { member: string; subgraph: string };

const FAILURE_CODES: Record<Extract<CallOutcome, { ok: false }>['reason'], string> = {
  timeout: 'TIMEOUT',
  unreachable: 'UNAVAILABLE',
  bad_response: 'BAD_RESPONSE',
  signature_invalid: 'BAD_SIGNATURE',
};

/** The error codes of an answer: the transport failure, or each GraphQL error's extensions.code. */
function errorCodes(outcome: CallOutcome): string[] {
  if (!outcome.ok) return [FAILURE_CODES[outcome.reason]];
  return (outcome.payload.errors ?? []).map((e) => {
    const code = e.extensions?.code;
    return typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code) ? code : 'UNCODED';
  });
}

/** The client, with each call traced and measured; `upstreamOf` names the member it goes to. */
export function observedUpstream(
  inner: SubgraphHttpClient,
  upstreamOf: UpstreamOf,
  metrics: ProcessMetrics | undefined,
): SubgraphHttpClient {
  const series = metrics && {
    duration: new Histogram({
      name: 'crossgate_subgraph_fetch_duration_seconds',
      help: 'Time of one call to a member subgraph or the registry, by member and subgraph.',
      labelNames: ['member', 'subgraph'],
      buckets: LATENCY_BUCKETS,
      registers: [metrics.registry],
    }),
    errors: new Counter({
      name: 'crossgate_subgraph_fetch_errors_total',
      help: 'Errors of calls to members, by member, subgraph and code (transport failure or GraphQL code).',
      labelNames: ['member', 'subgraph', 'code'],
      registers: [metrics.registry],
    }),
    timeouts: new Counter({
      name: 'crossgate_subgraph_fetch_timeouts_total',
      help: 'Calls to members that were cut off by the per-call timeout.',
      labelNames: ['member', 'subgraph'],
      registers: [metrics.registry],
    }),
  };
  return {
    post(url, body, headers, timeoutMs, options) {
      const upstream = upstreamOf(url);
      return inClientSpan(
        `fetch ${upstream.subgraph} ${upstream.member}`,
        { 'crossgate.member': upstream.member, 'crossgate.subgraph': upstream.subgraph },
        async (traceHeaders, span) => {
          const started = process.hrtime.bigint();
          const outcome = await inner.post(url, body, { ...headers, ...traceHeaders }, timeoutMs, options);
          const codes = errorCodes(outcome);
          if (codes.length > 0) span.setAttribute('crossgate.error_codes', codes);
          if (series) {
            series.duration.observe(upstream, Number(process.hrtime.bigint() - started) / 1e9);
            for (const code of new Set(codes)) series.errors.inc({ ...upstream, code });
            if (!outcome.ok && outcome.reason === 'timeout') series.timeouts.inc(upstream);
          }
          return outcome;
        },
      );
    },
    close: () => inner.close(),
  };
}

interface RoutingTables {
  shardMap(subgraph: 'credentials' | 'workforce'): { shards: readonly { id: string; url: string }[] };
}

/** Names upstreams by the registry's URL and the current routing tables; `unrouted` otherwise. */
export function upstreamByRouting(registryUrl: string, routing: () => RoutingTables | undefined): UpstreamOf {
  return (url) => {
    if (url === registryUrl) return { member: 'registry', subgraph: 'registry' };
    for (const subgraph of ['credentials', 'workforce'] as const) {
      const shard = routing()
        ?.shardMap(subgraph)
        .shards.find((s) => s.url === url);
      if (shard) return { member: shard.id, subgraph };
    }
    return { member: 'unrouted', subgraph: 'unrouted' };
  };
}
