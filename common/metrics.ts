// Prometheus metrics of one process (prom-client): its own registry, served on /metrics, with the
// HTTP and GraphQL request series every process kind shares. Labels never carry personal data.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export type ProcessKind = 'gateway' | 'registry' | 'municipal';

/** Latency buckets in seconds, from a cached lookup to a slow cross-border page. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface ProcessMetrics {
  registry: Registry;
  route(req: IncomingMessage, res: ServerResponse): Promise<void>;
  observeHttp(route: string, status: number): void;
  /** One GraphQL operation: its name (sanitised), outcome code and duration. */
  observeOperation(operation: string, outcome: string, seconds: number): void;
}

/** At most this many distinct operation names are labelled; the rest count as "other". */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The label of a request's path: a known route, or "unknown" (paths are never labelled raw). */
export function routeLabel(path: string, routes: Record<string, unknown>): string {
  if (path in routes || ['/livez', '/readyz', '/metrics'].includes(path)) return path;
  return 'unknown';
}

export function createProcessMetrics(
  kind: ProcessKind,
  options: { defaults?: boolean } = {},
): ProcessMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process_kind: kind });
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry, prefix: 'crossgate_' });
  const http = new Counter({
    name: 'crossgate_http_requests_total',
    help: 'HTTP requests answered, by route and status code.',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const operations = new Counter({
    name: 'crossgate_graphql_requests_total',
    help: 'GraphQL operations, by operation name and outcome (OK or the first error code).',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'crossgate_graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL operation, by operation name and outcome.',
    labelNames: ['operation', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const names = new Set<string>();
  const operationLabel = (name: string): string => {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'invalid';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return 'other';
    names.add(name);
    return name;
  };
  return {
    registry,
    async route(_req, res) {
      res.setHeader('content-type', registry.contentType);
      res.end(await registry.metrics());
    },
    observeHttp(route, status) {
      http.inc({ route, status: String(status) });
    },
    observeOperation(operation, outcome, seconds) {
      const labels = { operation: operationLabel(operation), outcome };
      operations.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}
