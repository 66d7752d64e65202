// The GraphQL engine of the gateway: @apollo/gateway over the served supergraph and its data
// sources, inside an Apollo server with the operation limits, scopes, masked errors and metrics.
import type { GraphQLDataSource } from '@apollo/gateway';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from '../../common/logger';
import type { ProcessMetrics } from '../../common/metrics';
import { operationMetricsPlugin } from '../../common/operation-metrics';
import type { Caller } from '../../schema/caller';
import { authorizationPlugin } from './auth/authorize';
import type { GatewayConfig } from './config';
import { serverTimingPlugin, type TimedContext } from './datasources/timing';
import { operationLimits } from './limits/armor';
import { maskErrors } from './limits/mask-errors';
import { observePlanCache } from './observability/gateway-metrics';
import type { ServedSupergraph } from './reload/served-supergraph';
import { DirectAnswers } from './single-fetch/direct-answers';

export interface GatewayContext extends TimedContext {
  requestId: string;
  caller: Caller;
  /** The caller's bearer token, passed on to each owner, which checks the caller itself. */
  token: string | null;
}

export interface ApolloParts {
  config: GatewayConfig;
  supergraph: ServedSupergraph;
  buildService: (service: { name: string }) => GraphQLDataSource;
  /** Answer with Server-Timing. */
  serverTiming?: boolean;
  metrics: ProcessMetrics;
  log: Logger;
}

export interface StartedApollo {
  server: ApolloServer<GatewayContext>;
  /** Whether @apollo/gateway has a schema to serve yet (readiness). */
  schemaLoaded: () => boolean;
}

/** The operation limits in force: the configured ones, and at most 20 directives. */
function configuredLimits(config: GatewayConfig) {
  return operationLimits(
    {
      maxDepth: config.maxDepth,
      maxAliases: config.maxAliases,
      maxTokens: config.maxTokens,
      maxDirectives: 20,
      maxCost: config.maxCost,
      maxIntrospectionDepth: config.maxIntrospectionDepth,
    },
    config.development,
  );
}

/** Builds the gateway and its Apollo server, and starts it (the first supergraph is loaded then). */
export async function startApollo(parts: ApolloParts): Promise<StartedApollo> {
  const { config, supergraph, metrics, log } = parts;
  const limits = configuredLimits(config);
  const direct = new DirectAnswers();
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.reload.manager(),
    logger: log.child({ component: 'apollo-gateway' }),
    buildService: direct.replaying(parts.buildService),
    experimental_didResolveQueryPlan: direct.didResolveQueryPlan,
  });
  const server = new ApolloServer<GatewayContext>({
    gateway: direct.gateway(gateway),
    introspection: config.development,
    includeStacktraceInErrorResponses: false,
    persistedQueries: false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    formatError: maskErrors(log.child({ component: 'errors' })),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...(limits.plugins as ApolloServerPlugin<GatewayContext>[]),
      authorizationPlugin<GatewayContext>(supergraph.requirements),
      supergraph.operationsInUse.plugin<GatewayContext>(),
      ...(parts.serverTiming ? [serverTimingPlugin<GatewayContext>()] : []),
      operationMetricsPlugin<GatewayContext>(metrics),
    ],
  });
  observePlanCache(metrics, gateway);
  await server.start();
  return { server, schemaLoaded: () => gateway.schema !== undefined };
}
