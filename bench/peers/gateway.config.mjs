// Hive Gateway's configuration in the benchmark: the query planner and upstream in-flight dedup, chosen by the environment.
// BENCH_HIVE_ROUTER_RUNTIME=1 plans and executes with @graphql-hive/router-runtime (Hive Router's Rust query
// planner, a native addon) instead of the default JavaScript runtime; BENCH_HIVE_DEDUPE=0 turns off the
// deduplication of identical in-flight subgraph requests, which Hive Gateway does by default.
import { defineConfig } from '@graphql-hive/gateway';

const routerRuntime = process.env.BENCH_HIVE_ROUTER_RUNTIME === '1';
const dedupe = process.env.BENCH_HIVE_DEDUPE !== '0';

const planner = routerRuntime
  ? { unifiedGraphHandler: (await import('@graphql-hive/router-runtime')).unifiedGraphHandler }
  : {};
const transports = dedupe
  ? {}
  : { transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } } };

export const gatewayConfig = defineConfig({ ...planner, ...transports });
