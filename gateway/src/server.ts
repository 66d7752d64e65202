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
import { CircuitBreakers } from './fanout/breaker';
import { FanOutDataSource, type FanOutOptions } from './fanout/fanout';
import { checkMergeRules, type MunicipalSubgraph } from './fanout/rules';
import { workforceFlowsReport } from './flows/aggregate-report';
import { idePage, ideRoutes } from './ide/routes';
import { memberContractProblem } from './membership/contract-check';
import { Membership } from './membership/members';

export interface GatewayContext {
  requestId: string;
  caller: Caller;
}

export interface GatewayDeps {
  log?: Logger;
  http?: SubgraphHttpClient;
  onShardCall?: FanOutOptions['onShardCall'];
  supergraphSdl?: string;
  /** Milliseconds clock of the circuit breakers and membership; Date.now when absent. */
  now?: () => number;
  /** Establishes the caller of a request; anonymous when absent. */
  authenticate?: (req: IncomingMessage) => Promise<Caller>;
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
  const breakers = new CircuitBreakers({
    failureThreshold: config.breakerFailures,
    coolDownMs: config.breakerCoolDownMs,
    now: deps.now ?? Date.now,
  });

  const forward = (context: unknown): Record<string, string> => {
    const ctx = context as Partial<GatewayContext> | undefined;
    return { 'x-request-id': ctx?.requestId ?? '', [CALLER_HEADER]: encodeCaller(ctx?.caller ?? ANONYMOUS) };
  };
  const membership = new Membership(
    config.registryUrl,
    http,
    log.child({ component: 'membership' }),
    config.shardTimeoutMs,
    (member) => memberContractProblem(member, http, config.shardTimeoutMs, () => forward(undefined)),
  );
  await membership.refresh();
  membership.start(config.membershipRefreshMs);
  const gateway = new ApolloGateway({
    supergraphSdl: deps.supergraphSdl ?? readSupergraph(),
    logger: log.child({ component: 'apollo-gateway' }),
    buildService: ({ name }) => {
      if ((MUNICIPAL_SUBGRAPHS as readonly string[]).includes(name)) {
        const subgraph = name as MunicipalSubgraph;
        return new FanOutDataSource({
          subgraph,
          shards: () => membership.shardMap(subgraph),
          http,
          timeoutMs: config.shardTimeoutMs,
          headers: (_shard, _body, context) => forward(context),
          onShardCall: deps.onShardCall,
          breakers,
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
    },
  });

  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.development,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await server.start();

  const api = graphqlRoute(server, async (req) => ({
    requestId: String(req.headers['x-request-id'] ?? randomUUID()),
    caller: deps.authenticate ? await deps.authenticate(req) : ANONYMOUS,
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
        const members = membership.health();
        const status =
          membership.current.phase !== 'ready'
            ? 'loading'
            : members.every((m) => m.healthy || m.status !== 'ACTIVE')
              ? 'ok'
              : 'degraded';
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status, members }));
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
