// The regional gateway: wires the supergraph, the fan-out, membership and the IDE together.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ANONYMOUS, CALLER_HEADER, type Caller, encodeCaller } from '../../schema/caller';
import { MUNICIPAL_SUBGRAPHS, readSupergraph, subgraphSdl } from '../../schema/contract';
import { graphqlRoute, type Route, type RunningServer, serveRoutes } from '../../subgraphs/common/http';
import { type Logger, silentLogger } from '../../subgraphs/common/logger';
import type { GatewayConfig } from './config';
import { dashboardRoutes } from './dashboard/routes';
import { createSubgraphHttpClient, type SubgraphHttpClient } from './datasources/http-client';
import { RegistryDataSource } from './datasources/registry';
import { FetchTimeline, serverTimingPlugin, type TimedContext, timedServices } from './datasources/timing';
import { FanOutDataSource, type FanOutOptions } from './fanout/fanout';
import { checkMergeRules, type MunicipalSubgraph } from './fanout/rules';
import { workforceFlowsReport } from './flows/aggregate-report';
import { idePage, ideRoutes } from './ide/routes';
import { Membership } from './membership/members';

export interface GatewayContext extends TimedContext {
  requestId: string;
  caller: Caller;
}

export interface GatewayDeps {
  log?: Logger;
  http?: SubgraphHttpClient;
  onShardCall?: FanOutOptions['onShardCall'];
  supergraphSdl?: string;
  /** Establishes the caller of a request; anonymous when absent. */
  authenticate?: (req: IncomingMessage) => Promise<Caller>;
  /** Answer with Server-Timing: gateway time and subgraph time on the plan's critical path. */
  serverTiming?: boolean;
}

export interface RunningGateway extends RunningServer {
  graphqlUrl: string;
  membership: Membership;
}

export const DEFAULT_IDE_QUERY = `# Credentials across the region, with their regional standard
query RegionalCredentials {
  credentials(first: 5) {
    totalCount
    edges {
      node {
        id
        issuer { code name country }
        status
        qualification { title eqfLevel regionalStandard { code occupation { iscoCode title } } }
      }
    }
  }
}
`;

export async function startGateway(config: GatewayConfig, deps: GatewayDeps = {}): Promise<RunningGateway> {
  const log = deps.log ?? silentLogger;
  const http = deps.http ?? createSubgraphHttpClient();
  for (const name of MUNICIPAL_SUBGRAPHS) checkMergeRules(name, subgraphSdl(name));

  const membership = new Membership(
    config.registryUrl,
    http,
    log.child({ component: 'membership' }),
    config.shardTimeoutMs,
  );
  await membership.refresh();
  membership.start(config.membershipRefreshMs);

  const forward = (context: unknown): Record<string, string> => {
    const ctx = context as Partial<GatewayContext> | undefined;
    return { 'x-request-id': ctx?.requestId ?? '', [CALLER_HEADER]: encodeCaller(ctx?.caller ?? ANONYMOUS) };
  };
  const gateway = new ApolloGateway({
    supergraphSdl: deps.supergraphSdl ?? readSupergraph(),
    logger: log.child({ component: 'apollo-gateway' }),
    buildService: timedServices(deps.serverTiming, ({ name }) => {
      if ((MUNICIPAL_SUBGRAPHS as readonly string[]).includes(name)) {
        const subgraph = name as MunicipalSubgraph;
        return new FanOutDataSource({
          subgraph,
          shards: () => membership.shardMap(subgraph),
          http,
          timeoutMs: config.shardTimeoutMs,
          headers: (_shard, _body, context) => forward(context),
          onShardCall: deps.onShardCall,
          aggregates: {
            workforceFlows: workforceFlowsReport({ threshold: config.flowSuppressionThreshold }),
          },
        });
      }
      return new RegistryDataSource(
        () => config.registryUrl,
        http,
        config.shardTimeoutMs,
        (_b, c) => forward(c),
      );
    }),
  });

  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.development,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...(deps.serverTiming ? [serverTimingPlugin<GatewayContext>()] : []),
    ],
  });
  await server.start();

  const api = graphqlRoute(server, async (req) => ({
    requestId: String(req.headers['x-request-id'] ?? randomUUID()),
    caller: deps.authenticate ? await deps.authenticate(req) : ANONYMOUS,
    timeline: deps.serverTiming ? new FetchTimeline() : undefined,
  }));
  const ide = idePage('/graphql', DEFAULT_IDE_QUERY);
  const graphqlOrIde: Route = (req, res, body) => {
    const wantsHtml =
      req.method === 'GET' &&
      !req.url?.includes('query=') &&
      (req.headers.accept ?? '').includes('text/html');
    if (wantsHtml) {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(ide);
      return;
    }
    return api(req, res, body);
  };
  let selfUrl = '';
  const running = await serveRoutes(
    {
      '/': graphqlOrIde,
      '/graphql': graphqlOrIde,
      '/health': (_req, res) => {
        const state = membership.current;
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            status: state.phase === 'ready' ? 'ok' : 'loading',
            members:
              state.phase === 'ready' ? state.members.map((m) => ({ code: m.code, status: m.status })) : [],
          }),
        );
      },
      ...ideRoutes(),
      ...dashboardRoutes(() => `${selfUrl}/graphql`),
    },
    { port: config.port, host: config.host, onError: (e) => log.error({ err: e }, 'request failed') },
  );
  selfUrl = running.url;
  return {
    ...running,
    graphqlUrl: `${running.url}/graphql`,
    membership,
    async close() {
      membership.stop();
      await running.close();
      await server.stop();
      if (!deps.http) await http.close();
    },
  };
}
