// A gateway for any supergraph: Crossgate's serving stack with plain pooled data sources per subgraph.
import { randomUUID } from 'node:crypto';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { graphqlRoute, type RunningServer, serveRoutes } from '../../common/http';
import { type Logger, silentLogger } from '../../common/logger';
import type { ProcessMetrics } from '../../common/metrics';
import { operationMetricsPlugin } from '../../common/operation-metrics';
import { createSubgraphHttpClient, type SubgraphHttpClient } from './datasources/http-client';
import { PooledDataSource } from './datasources/pooled';
import { FetchTimeline, serverTimingPlugin, type TimedContext, timedDataSource } from './datasources/timing';
import { observedUpstream } from './observability/upstream';

export interface FederatedGatewayOptions {
  supergraphSdl: string;
  port: number;
  host?: string;
  timeoutMs?: number;
  /** Share identical subgraph reads in flight (same text, variables and forwarded headers). */
  dedupe?: boolean;
  /** Approximate size of the query-plan cache. */
  queryPlanCacheMiB?: number;
  /** Answer with a Server-Timing header: gateway time and subgraph time on the critical path. */
  serverTiming?: boolean;
}

export interface FederatedGatewayDeps {
  log?: Logger;
  http?: SubgraphHttpClient;
  /**
   * The process's metrics: served on /metrics, fed with every request and operation, and with every
   * subgraph call (each call also traced in a client span, as the regional gateway's are).
   */
  metrics?: ProcessMetrics;
}

/** A plain subgraph is its own member. */
const upstreamNamed = (name: string) => ({ member: name, subgraph: name });

interface FederatedContext extends TimedContext {
  requestId: string;
}

export async function startFederatedGateway(
  options: FederatedGatewayOptions,
  deps: FederatedGatewayDeps = {},
): Promise<RunningServer & { graphqlUrl: string }> {
  const log = deps.log ?? silentLogger;
  const pooled = deps.http ?? createSubgraphHttpClient({ dedupe: options.dedupe ?? true, connections: 64 });
  /** Each subgraph's URL and name, as the gateway builds its data sources; upstream calls are named by it. */
  const subgraphOf = new Map<string, string>();
  const http = deps.metrics
    ? observedUpstream(pooled, (url) => upstreamNamed(subgraphOf.get(url) ?? 'unrouted'), deps.metrics)
    : pooled;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: log.child({ component: 'apollo-gateway' }),
    experimental_approximateQueryPlanStoreMiB: options.queryPlanCacheMiB ?? 30,
    buildService: ({ name, url }) => {
      if (!url) throw new Error(`Subgraph ${name} has no URL in the supergraph`);
      subgraphOf.set(url, name);
      const source = new PooledDataSource({
        name,
        url,
        http,
        timeoutMs: options.timeoutMs ?? 5000,
        headers: (_body, context) => ({ 'x-request-id': (context as FederatedContext).requestId }),
      });
      return options.serverTiming ? timedDataSource(source) : source;
    },
  });
  const server = new ApolloServer<FederatedContext>({
    gateway,
    introspection: false,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...(options.serverTiming ? [serverTimingPlugin<FederatedContext>()] : []),
      ...(deps.metrics ? [operationMetricsPlugin<FederatedContext>(deps.metrics)] : []),
    ],
  });
  await server.start();
  const api = graphqlRoute(server, async (req) => ({
    requestId: String(req.headers['x-request-id'] ?? randomUUID()),
    timeline: options.serverTiming ? new FetchTimeline() : undefined,
  }));
  const running = await serveRoutes(
    { '/': api, '/graphql': api },
    {
      port: options.port,
      host: options.host,
      onError: (e) => log.error({ err: e }, 'request failed'),
      metrics: deps.metrics,
      kind: 'gateway',
    },
  );
  return {
    ...running,
    graphqlUrl: `${running.url}/graphql`,
    async close() {
      await running.close();
      await server.stop();
      if (!deps.http) await http.close();
    },
  };
}
