// The observed variant of a benchmark gateway (env OBSERVED=1): tracing started from the OTEL_* variables
// and Prometheus metrics with the default process collectors, as gateway/main.ts runs them.
import { createProcessMetrics, type ProcessMetrics } from '../../common/metrics';
import { startTracing, tracingRequested } from '../../common/tracing';

/** With OBSERVED=1, starts tracing (when the OTEL_* variables ask for it) and returns the gateway's metrics. */
export async function observedFromEnv(env: NodeJS.ProcessEnv): Promise<ProcessMetrics | undefined> {
  if (env.OBSERVED !== '1') return undefined;
  if (tracingRequested(env)) await startTracing({ serviceName: 'crossgate-gateway' });
  return createProcessMetrics('gateway');
}
