// The two GraphQL servers of a municipality, `credentials` and `workforce`: each its contract's schema
// over its resolvers, guarded field by field by the release policies, every access audited.
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { hidingInternalErrors } from '../../common/internal-errors';
import type { Logger } from '../../common/logger';
import type { ProcessMetrics } from '../../common/metrics';
import { operationMetricsPlugin } from '../../common/operation-metrics';
import { mergeResolvers } from '../../common/resolvers';
import { subgraphSdl } from '../../schema/contract';
import { DateScalar } from '../../schema/scalars';
import { auditPlugin } from './audit/record';
import type { MunicipalContext } from './context';
import { alertResolvers } from './modules/alerts';
import { auditResolvers } from './modules/audit';
import { credentialDocumentResolvers } from './modules/credential-documents';
import { credentialResolvers } from './modules/credentials';
import { flowUseResolvers } from './modules/flow-uses';
import { flowResolvers } from './modules/flows';
import { placementResolvers } from './modules/placements';
import { verificationResolvers } from './modules/verification';
import { writeMutationResolvers } from './modules/write-mutations';
import type { MunicipalTrust } from './municipal-trust';
import { guardSchema } from './policy/guard';

export interface SubgraphServers {
  credentials: ApolloServer<MunicipalContext>;
  workforce: ApolloServer<MunicipalContext>;
}

/** Reports records that could not be mapped beside the data, one error each. */
const recordErrorsPlugin: ApolloServerPlugin<MunicipalContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        if (contextValue.recordErrors.length === 0 || response.body.kind !== 'single') return;
        const extra = contextValue.recordErrors.map((e) => ({
          message: e.message,
          extensions: { ...((e as { extensions?: object }).extensions ?? {}) },
        }));
        const result = response.body.singleResult;
        result.errors = [...(result.errors ?? []), ...extra] as typeof result.errors;
      },
    };
  },
};

/**
 * Municipal answers are never cacheable: the header the cache-control plugin would set, without its
 * hook on every resolved field (most of the execution time of a large flows answer).
 */
const noStorePlugin: ApolloServerPlugin<MunicipalContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (!response.http.headers.has('cache-control'))
          response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/** The types whose fields the release policies guard. */
const RECORD_TYPES = ['Credential', 'Holder', 'Qualification', 'Placement'];

function subgraphServer(
  name: 'credentials' | 'workforce',
  resolvers: object[],
  log: Logger,
  trust: MunicipalTrust,
  metrics: ProcessMetrics | undefined,
) {
  const policies = new Map(trust.policies.map((p) => [p.municipality, p]));
  const policyOf = trust.policyOf ?? ((owner: string) => policies.get(owner));
  const schema = guardSchema(
    buildSubgraphSchema({
      typeDefs: parse(subgraphSdl(name)),
      resolvers: mergeResolvers({ Date: DateScalar }, ...resolvers) as never,
    }),
    RECORD_TYPES,
    policyOf,
  );
  return new ApolloServer<MunicipalContext>({
    schema,
    plugins: [
      recordErrorsPlugin,
      auditPlugin(name, trust, log),
      operationMetricsPlugin<MunicipalContext>(metrics),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin,
    ],
    includeStacktraceInErrorResponses: false,
    formatError: hidingInternalErrors(log, 'Internal error in the municipal subgraph'),
  });
}

/** Builds and starts both servers. */
export async function startSubgraphServers(
  log: Logger,
  trust: MunicipalTrust,
  metrics: ProcessMetrics | undefined,
): Promise<SubgraphServers> {
  const credentials = subgraphServer(
    'credentials',
    [
      credentialResolvers,
      auditResolvers,
      verificationResolvers,
      writeMutationResolvers,
      credentialDocumentResolvers,
      alertResolvers,
    ],
    log,
    trust,
    metrics,
  );
  const workforce = subgraphServer(
    'workforce',
    [placementResolvers, flowResolvers, flowUseResolvers],
    log,
    trust,
    metrics,
  );
  await Promise.all([credentials.start(), workforce.start()]);
  return { credentials, workforce };
}
