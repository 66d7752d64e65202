// The registry subgraph server, owned by the joint governance body.

import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { subgraphSdl } from '../../schema/contract';
import { DateScalar } from '../../schema/scalars';
import { graphqlRoute, type RunningServer, serveRoutes } from '../common/http';
import { type Logger, silentLogger } from '../common/logger';
import { createRegistryLoaders, directoryResolvers, type RegistryContext } from './modules/directory';
import type { RegistryStore } from './store';

export interface RegistryServerOptions {
  store: RegistryStore;
  port?: number;
  host?: string;
  log?: Logger;
}

export async function startRegistryServer(
  options: RegistryServerOptions,
): Promise<RunningServer & { graphqlUrl: string }> {
  const log = options.log ?? silentLogger;
  const schema = buildSubgraphSchema({
    typeDefs: parse(subgraphSdl('registry')),
    resolvers: { Date: DateScalar, ...directoryResolvers } as never,
  });
  const server = new ApolloServer<RegistryContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  const running = await serveRoutes(
    {
      '/graphql': graphqlRoute(server, async () => ({
        store: options.store,
        loaders: createRegistryLoaders(options.store),
      })),
      '/health': (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: 'ok' }));
      },
    },
    { port: options.port ?? 0, host: options.host, onError: (e) => log.error({ err: e }, 'request failed') },
  );
  return {
    ...running,
    graphqlUrl: `${running.url}/graphql`,
    async close() {
      await running.close();
      await server.stop();
    },
  };
}
