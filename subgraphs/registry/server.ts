// The registry subgraph server, owned by the joint governance body.

import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { graphqlRoute, type Route, type RunningServer, sendJson, serveRoutes } from '../../common/http';
import { withinMs } from '../../common/lifecycle';
import { type Logger, silentLogger } from '../../common/logger';
import type { ProcessMetrics } from '../../common/metrics';
import { operationMetricsPlugin } from '../../common/operation-metrics';
import { mergeResolvers } from '../../common/resolvers';
import type { RequestVerifier } from '../../common/signature';
import { signedOnly } from '../../common/signed-route';
import { countedVerifier } from '../../common/trust-metrics';
import { CALLER_HEADER, decodeCaller } from '../../schema/caller';
import { subgraphSdl } from '../../schema/contract';
import { CODES } from '../../schema/errors';
import { DateScalar } from '../../schema/scalars';
import {
  createRegistryDeps,
  createRequestLoaders,
  createRequestReference,
  type RegistryContext,
} from './context';
import { agreementResolvers } from './modules/agreements/resolvers';
import { directoryResolvers } from './modules/directory';
import { flowOutcomeResolvers } from './modules/flow-outcomes';
import { recognitionResolvers } from './modules/recognition/resolvers';
import type { RegistryStore } from './store';
import { registryVersionPlugin } from './version-plugin';

export interface RegistryServerOptions {
  store: RegistryStore;
  port?: number;
  host?: string;
  log?: Logger;
  /** The clock; recognitions default to its UTC date. Defaults to the system clock. */
  now?: () => Date;
  /** Verifies that a request was signed by this deployment's gateway (or a member's subgraph). */
  verify: RequestVerifier;
  /** The process's metrics; /metrics is served when given. */
  metrics?: ProcessMetrics;
  /** The region's supergraph as the joint body publishes it (GET /supergraph), read at each request. */
  supergraph?: () => Promise<string>;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** GET /supergraph: the contract the gateways reload from; public, like the schema they serve. */
function publishedSupergraph(read: () => Promise<string>, log: Logger): Route {
  return async (req, res) => {
    if (req.method !== 'GET') {
      sendJson(res, 405, {
        errors: [{ message: 'GET the supergraph', extensions: { code: CODES.BAD_REQUEST } }],
      });
      return;
    }
    let text: string;
    try {
      text = await read();
    } catch (e) {
      log.error({ err: e }, 'the published supergraph cannot be read');
      sendJson(res, 503, {
        errors: [
          { message: 'The supergraph cannot be read', extensions: { code: CODES.INTERNAL_SERVER_ERROR } },
        ],
      });
      return;
    }
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.end(text);
  };
}

export async function startRegistryServer(
  options: RegistryServerOptions,
): Promise<RunningServer & { graphqlUrl: string }> {
  const log = options.log ?? silentLogger;
  const schema = buildSubgraphSchema({
    typeDefs: parse(subgraphSdl('registry')),
    resolvers: mergeResolvers(
      { Date: DateScalar },
      directoryResolvers,
      agreementResolvers,
      recognitionResolvers,
      flowOutcomeResolvers,
    ) as never,
  });
  const deps = createRegistryDeps(options.store, options.now);
  const server = new ApolloServer<RegistryContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => {
      const code = formatted.extensions?.code;
      if (code === CODES.INTERNAL_SERVER_ERROR || code === undefined) {
        log.error({ err: error }, 'resolver failed');
        return {
          message: 'Internal error in the registry',
          path: formatted.path,
          extensions: { code: CODES.INTERNAL_SERVER_ERROR },
        };
      }
      return formatted;
    },
    plugins: [
      operationMetricsPlugin<RegistryContext>(options.metrics),
      registryVersionPlugin(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
  await server.start();
  const api = graphqlRoute(server, async (req) => {
    const reference = createRequestReference(deps);
    return {
      ...deps,
      caller: decodeCaller(header(req, CALLER_HEADER)),
      today: deps.now().toISOString().slice(0, 10),
      reference,
      loaders: createRequestLoaders(deps, reference),
    };
  });
  /** The caller header is believed only under a valid signature; anything else is refused unread. */
  const verify = countedVerifier(options.verify, options.metrics);
  const signed = signedOnly(verify, '/graphql', api, (req, res, { reason }) => {
    log.warn({ reason, remote: req.socket.remoteAddress }, 'refused an unsigned request');
    sendJson(res, 401, {
      errors: [
        {
          message: `Only the regional gateway and member subgraphs may call the registry (request ${reason})`,
          extensions: { code: CODES.SIGNATURE_INVALID },
        },
      ],
    });
  });
  const running = await serveRoutes(
    {
      '/graphql': signed,
      '/health': (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: 'ok' }));
      },
      ...(options.supergraph ? { '/supergraph': publishedSupergraph(options.supergraph, log) } : {}),
    },
    {
      port: options.port ?? 0,
      host: options.host,
      onError: (e) => log.error({ err: e }, 'request failed'),
      metrics: options.metrics,
      kind: 'registry',
      // Ready only while the database answers.
      readiness: async () => ({ database: await withinMs(2000, () => options.store.municipalities()) }),
    },
  );
  return {
    ...running,
    graphqlUrl: `${running.url}/graphql`,
    async close() {
      await running.close();
      await server.stop();
    },
    async drain(graceMs) {
      const drained = await running.drain(graceMs);
      await server.stop();
      return drained;
    },
  };
}
