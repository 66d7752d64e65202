// The gateway's HTTP routes: GraphQL behind the front door (the IDE for a browser), /health, the pages
// it serves (IDE, dashboard, verify and print pages, and what they share) and the public directory.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { bearerTokenOf } from '../../common/caller-tokens';
import { graphqlRoute, type Route } from '../../common/http';
import type { Caller } from '../../schema/caller';
import type { GatewayContext } from './apollo-server';
import { admit, type FrontDoor } from './auth/front-door';
import type { GatewayConfig } from './config';
import { dashboardRoutes } from './dashboard/routes';
import { FetchTimeline } from './datasources/timing';
import { DEFAULT_IDE_QUERY } from './ide/default-query';
import { idePage, ideRoutes } from './ide/routes';
import type { RegionHealth } from './membership/health';
import { sharedPageRoutes } from './page-assets';
import { relayedDirectoryRoute } from './presentations/public-directory';
import { printPageRoutes } from './print-page/routes';
import { verifyPageRoutes } from './verify-page/routes';

export interface RouteParts {
  config: GatewayConfig;
  server: ApolloServer<GatewayContext>;
  door: FrontDoor;
  health: () => RegionHealth;
  /** Give each request a timeline of its fetches, for Server-Timing. */
  serverTiming?: boolean;
  /** The gateway's own address, known once it listens (the dashboard calls its GraphQL there). */
  selfUrl: () => string;
}

/** GraphQL for the callers the front door admits, each with the context its resolvers see. */
function guardedGraphql(parts: RouteParts): Route {
  const admitted = new WeakMap<IncomingMessage, Caller>();
  const api = graphqlRoute(parts.server, async (req) => {
    const caller = admitted.get(req) ?? (await parts.door.authenticate(req));
    return {
      requestId: String(req.headers['x-request-id'] ?? randomUUID()),
      caller,
      token: caller.role === 'anonymous' ? null : bearerTokenOf(req),
      timeline: parts.serverTiming ? new FetchTimeline() : undefined,
    };
  });
  return async (req, res, raw) => {
    const admission = await admit(parts.door, req, res, raw);
    if (!admission.ok) return;
    admitted.set(req, admission.caller);
    return api(req, res, admission.body);
  };
}

/** The IDE for a browser's plain GET, GraphQL for everything else. */
function graphqlOrIde(api: Route): Route {
  const ide = idePage('/graphql', DEFAULT_IDE_QUERY);
  return (req, res, body) => {
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
}

/** Every fixed path the gateway answers. */
export function gatewayRoutes(parts: RouteParts): Record<string, Route> {
  const graphql = graphqlOrIde(guardedGraphql(parts));
  return {
    '/': graphql,
    '/graphql': graphql,
    '/health': (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(parts.health()));
    },
    ...ideRoutes(),
    ...sharedPageRoutes(),
    ...dashboardRoutes(() => `${parts.selfUrl()}/graphql`),
    ...verifyPageRoutes(),
    '/directory': relayedDirectoryRoute(() => parts.config.registryUrl, parts.config.shardTimeoutMs),
    ...printPageRoutes(),
  };
}
