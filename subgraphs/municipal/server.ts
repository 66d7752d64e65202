// One municipality's subgraph server: serves `credentials` and `workforce` over its own store.

import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { CALLER_HEADER, decodeCaller } from '../../schema/caller';
import { subgraphSdl } from '../../schema/contract';
import { DateScalar } from '../../schema/scalars';
import { graphqlRoute, type RunningServer, serveRoutes } from '../common/http';
import { type Logger, silentLogger } from '../common/logger';
import type { MunicipalContext } from './context';
import { createLoaders } from './loaders';
import { credentialResolvers } from './modules/credentials';
import { flowResolvers } from './modules/flows';
import { placementResolvers } from './modules/placements';
import type { MunicipalStore } from './store';

export interface MunicipalServerOptions {
  store: MunicipalStore;
  port?: number;
  host?: string;
  log?: Logger;
  /** Clock for derived states; defaults to the system date. */
  today?: () => string;
}

export interface MunicipalServer extends RunningServer {
  credentialsUrl: string;
  workforceUrl: string;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export const systemToday = () => new Date().toISOString().slice(0, 10);

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

function subgraphServer(name: 'credentials' | 'workforce', resolvers: object, log: Logger) {
  const schema = buildSubgraphSchema({
    typeDefs: parse(subgraphSdl(name)),
    resolvers: { Date: DateScalar, ...resolvers } as never,
  });
  return new ApolloServer<MunicipalContext>({
    schema,
    plugins: [recordErrorsPlugin, ApolloServerPluginInlineTraceDisabled()],
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => {
      const code = formatted.extensions?.code;
      if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
        log.error({ err: error }, 'resolver failed');
        return {
          message: 'Internal error in the municipal subgraph',
          path: formatted.path,
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        };
      }
      return formatted;
    },
  });
}

export async function startMunicipalServer(options: MunicipalServerOptions): Promise<MunicipalServer> {
  const log = options.log ?? silentLogger;
  const today = options.today ?? systemToday;
  const credentials = subgraphServer('credentials', credentialResolvers, log);
  const workforce = subgraphServer(
    'workforce',
    { ...placementResolvers, Query: { ...placementResolvers.Query, ...flowResolvers.Query } },
    log,
  );
  await Promise.all([credentials.start(), workforce.start()]);
  const context = async (req: IncomingMessage): Promise<MunicipalContext> => ({
    caller: decodeCaller(header(req, CALLER_HEADER)),
    requestId: header(req, 'x-request-id') ?? '',
    store: options.store,
    loaders: createLoaders(options.store),
    today: today(),
    log,
    recordErrors: [],
  });
  const running = await serveRoutes(
    {
      '/credentials': graphqlRoute(credentials, context),
      '/workforce': graphqlRoute(workforce, context),
      '/health': (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: 'ok', municipalities: options.store.municipalities }));
      },
    },
    { port: options.port ?? 0, host: options.host, onError: (e) => log.error({ err: e }, 'request failed') },
  );
  return {
    ...running,
    credentialsUrl: `${running.url}/credentials`,
    workforceUrl: `${running.url}/workforce`,
    async close() {
      await running.close();
      await Promise.all([credentials.stop(), workforce.stop()]);
    },
  };
}
