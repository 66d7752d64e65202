// Counters of refused signatures and audit appends, wrapped around the verifier and the audit log
// so that servers count them without knowing about metrics.
import { Counter, type CounterConfiguration } from 'prom-client';
import type { CallVerifier } from './message-signatures';
import type { ProcessMetrics } from './metrics';

/** The counter of that name in the process's registry: made once, shared by every verifier that counts. */
function counterIn<T extends string>(metrics: ProcessMetrics, config: CounterConfiguration<T>): Counter<T> {
  const known = metrics.registry.getSingleMetric(config.name);
  return (known as Counter<T> | undefined) ?? new Counter({ ...config, registers: [metrics.registry] });
}

/** The verifier, counting each refusal by reason (missing, stale, unknown-key, forged, replayed, …). */
export function countedVerifier(verify: CallVerifier, metrics: ProcessMetrics | undefined): CallVerifier {
  if (!metrics) return verify;
  const refusals = counterIn(metrics, {
    name: 'crossgate_signature_refusals_total',
    help: 'Calls refused because their signature was missing, malformed, stale, forged, replayed, by an unknown key, for another member or in a role not allowed.',
    labelNames: ['reason'],
  });
  return async (call) => {
    const outcome = await verify(call);
    if (!outcome.ok) refusals.inc({ reason: outcome.reason });
    return outcome;
  };
}

/** An audit log whose appends are counted (entries and failed appends). */
export function countedAppends<A extends { append(entries: readonly unknown[]): Promise<void> }>(
  audit: A,
  metrics: ProcessMetrics | undefined,
): A {
  if (!metrics) return audit;
  const appended = new Counter({
    name: 'crossgate_audit_entries_appended_total',
    help: 'Entries appended to the audit log.',
    registers: [metrics.registry],
  });
  const failed = new Counter({
    name: 'crossgate_audit_append_failures_total',
    help: 'Audit appends that failed.',
    registers: [metrics.registry],
  });
  const append = audit.append.bind(audit);
  return Object.assign(Object.create(audit) as A, {
    async append(entries: readonly unknown[]) {
      try {
        await append(entries as never);
        appended.inc(entries.length);
      } catch (e) {
        failed.inc();
        throw e;
      }
    },
  });
}
