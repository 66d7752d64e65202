// The gateway's own series: circuit state per member, plan cache hits and misses, membership size
// and changes, and rate-limit refusals. Read on scrape from the running parts, or counted as they act.
import { Counter, Gauge } from 'prom-client';
import type { ProcessMetrics } from '../../../common/metrics';
import type { CircuitState } from '../fanout/breaker';
import type { MunicipalSubgraph } from '../fanout/rules';
import type { RateLimiter } from '../limits/rate-limit';
import type { Membership } from '../membership/members';

const CIRCUIT_VALUE: Record<CircuitState['phase'], number> = { closed: 0, 'half-open': 1, open: 2 };

/** Membership size and circuit states, read from the membership on every scrape. */
export function membershipGauges(
  metrics: ProcessMetrics,
  membership: Membership,
  circuitOf: (url: string) => CircuitState['phase'],
) {
  new Gauge({
    name: 'crossgate_membership_members',
    help: 'Members the registry lists, by status as the gateway sees it (ACTIVE, SUSPENDED, REFUSED).',
    labelNames: ['status'],
    registers: [metrics.registry],
    collect() {
      this.reset();
      const state = membership.current;
      if (state.phase !== 'ready') return;
      for (const m of state.members) {
        this.inc({ status: state.refused.has(m.code) ? 'REFUSED' : m.status });
      }
    },
  });
  new Gauge({
    name: 'crossgate_membership_loaded',
    help: '1 once the member list has been read from the registry, 0 while waiting for it.',
    registers: [metrics.registry],
    collect() {
      this.set(membership.current.phase === 'ready' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'crossgate_circuit_state',
    help: 'Circuit breaker per member and subgraph: 0 closed, 1 half-open, 2 open.',
    labelNames: ['member', 'subgraph'],
    registers: [metrics.registry],
    collect() {
      this.reset();
      const state = membership.current;
      if (state.phase !== 'ready') return;
      for (const m of state.members) {
        const urls: Record<MunicipalSubgraph, string> = {
          credentials: m.credentialsUrl,
          workforce: m.workforceUrl,
        };
        for (const [subgraph, url] of Object.entries(urls)) {
          this.set({ member: m.code, subgraph }, CIRCUIT_VALUE[circuitOf(url)]);
        }
      }
    },
  });
  const changes = new Counter({
    name: 'crossgate_membership_changes_total',
    help: 'Times the member list or a member status changed.',
    registers: [metrics.registry],
  });
  return { changed: () => changes.inc() };
}

interface PlanStore {
  get(key: string): Promise<unknown>;
}

/**
 * Counts hits and misses of @apollo/gateway's query-plan cache by observing its store's reads
 * (the gateway reads it once per operation and plans on a miss).
 */
export function observePlanCache(metrics: ProcessMetrics, gateway: object) {
  const store = (gateway as { queryPlanStore?: PlanStore }).queryPlanStore;
  if (!store || typeof store.get !== 'function')
    throw new Error('the gateway has no query-plan store to observe');
  const lookups = new Counter({
    name: 'crossgate_query_plan_cache_lookups_total',
    help: 'Query-plan cache lookups, by result (hit or miss).',
    labelNames: ['result'],
    registers: [metrics.registry],
  });
  const get = store.get.bind(store);
  store.get = async (key) => {
    const plan = await get(key);
    lookups.inc({ result: plan ? 'hit' : 'miss' });
    return plan;
  };
}

/** The limiter, counting refusals. */
export function countedRateLimiter(limiter: RateLimiter, metrics: ProcessMetrics | undefined): RateLimiter {
  if (!metrics) return limiter;
  const refusals = new Counter({
    name: 'crossgate_rate_limit_refusals_total',
    help: 'Requests refused because their caller exceeded its per-minute allowance.',
    registers: [metrics.registry],
  });
  return {
    async hit(key) {
      const decision = await limiter.hit(key);
      if (!decision.allowed) refusals.inc();
      return decision;
    },
  };
}
