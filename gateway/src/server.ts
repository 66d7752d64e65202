// The regional gateway: wires the supergraph, the members, the front door, the GraphQL engine and
// the routes together, and stops them in order.
import type Redis from 'ioredis';
import type { Authenticator } from '../../common/caller-tokens';
import { type RunningServer, serveRoutes } from '../../common/http';
import { type Logger, silentLogger } from '../../common/logger';
import type { MemberKeyring } from '../../common/member-keys';
import { createProcessMetrics, type ProcessMetrics } from '../../common/metrics';
import { startApollo } from './apollo-server';
import type { CheckAnswer } from './auth/answer-signatures';
import type { ForwardHeaders } from './auth/forward';
import { memberCalls } from './auth/member-calls';
import { openFrontDoor } from './auth/open-front-door';
import type { GatewayConfig } from './config';
import { gatewayDataSources } from './data-sources';
import { createSubgraphHttpClient, type SubgraphHttpClient } from './datasources/http-client';
import { createReferenceCache, DEFAULT_REFERENCE_TTL_MS } from './datasources/reference-cache';
import type { FanOutOptions } from './fanout/fanout';
import { gatewayReadiness } from './health';
import type { Manifest } from './limits/persisted';
import type { RegionHealth } from './membership/health';
import type { Membership } from './membership/members';
import type { BackgroundProbe } from './membership/probe';
import { startRegionMembership } from './membership/region-membership';
import { issuerDocumentFetch } from './presentations/issuer-documents';
import { directoryIssuerKeys } from './presentations/issuer-keys';
import { issuerDocumentRoute } from './presentations/issuer-routes';
import { statusListCache } from './presentations/status-cache';
import { followConfiguredSources, loadServedSupergraph } from './reload/served-supergraph';
import type { SupergraphReload } from './reload/supergraph-reload';
import { gatewayRoutes } from './routes';

export interface GatewayDeps {
  log?: Logger;
  http?: SubgraphHttpClient;
  onShardCall?: FanOutOptions['onShardCall'];
  supergraphSdl?: string;
  /** Establishes the caller of a request; by default a bearer token checked against the configured keys. */
  authenticate?: Authenticator;
  /** Clock for token expiry, request signatures and rate windows. */
  now?: () => number;
  /** Clock of the shards' circuit breakers (tests step it); `now` when absent. */
  circuitClock?: () => number;
  /** Clock of the kept registry answers (tests step it); `now` when absent. */
  referenceClock?: () => number;
  /** Shared Redis for rate limits; by default one is opened when `redisUrl` is configured. */
  redis?: Redis;
  /** Manifest of persisted operations; by default read from `persistedManifest`. */
  manifest?: Manifest;
  /** Answer with Server-Timing: gateway time and subgraph time on the plan's critical path. */
  serverTiming?: boolean;
  /** The process's metrics (served on /metrics); a fresh registry when absent. */
  metrics?: ProcessMetrics;
  /**
   * Replaces the RFC 9421 signing of calls to members and the check of their signed answers: only a
   * benchmark measuring what signatures cost passes one.
   */
  signatures?: GatewaySignatures;
}

/** How the gateway signs what it sends a member and checks what the member answers. */
export interface GatewaySignatures {
  forward: ForwardHeaders;
  checkAnswer: CheckAnswer;
}

export interface RunningGateway extends RunningServer {
  graphqlUrl: string;
  membership: Membership;
  /** The registry's reachability and every member's admission, circuits and queue. */
  health(): RegionHealth;
  /** The background probe of the registry and of open circuits (tests run a round at will). */
  probe: BackgroundProbe;
  metrics: ProcessMetrics;
  /** The gateway's own keys (a rotation publishes the next one, then signs with it). */
  keyring: MemberKeyring;
  /** The supergraph served, and its reload while serving. */
  supergraph: SupergraphReload;
}

export async function startGateway(config: GatewayConfig, deps: GatewayDeps = {}): Promise<RunningGateway> {
  const log = deps.log ?? silentLogger;
  const metrics = deps.metrics ?? createProcessMetrics('gateway', { defaults: false });
  const pooled = deps.http ?? createSubgraphHttpClient();
  // The supergraph first: one that cannot be served stops the start before anything else runs.
  const supergraph = loadServedSupergraph(config, deps.supergraphSdl, log, metrics);
  const now = deps.now ?? Date.now;
  const calls = memberCalls(config, log, now, deps.signatures);
  const reference = createReferenceCache({
    ttlMs: config.referenceCacheTtlMs ?? DEFAULT_REFERENCE_TTL_MS,
    now: deps.referenceClock ?? now,
  });
  const region = await startRegionMembership({
    config,
    pooled,
    forward: calls.forward,
    checkAnswer: calls.checkAnswer,
    circuitClock: deps.circuitClock ?? now,
    metrics,
    log,
  });
  const issuerDocuments = issuerDocumentFetch(
    (code) => region.membership.shardMap('credentials').shardOf(code)?.url,
    config.shardTimeoutMs,
  );
  const issuerKeys = directoryIssuerKeys(calls.keyDirectory);
  const statusLists = statusListCache(issuerDocuments, issuerKeys, now);
  const front = openFrontDoor(config, deps, now, metrics, log);
  const apollo = await startApollo({
    config,
    supergraph,
    buildService: gatewayDataSources({
      config,
      region,
      calls,
      reference,
      issuerKeys,
      statusLists,
      now,
      onShardCall: deps.onShardCall,
      serverTiming: deps.serverTiming,
    }),
    serverTiming: deps.serverTiming,
    metrics,
    log,
  });
  const sources = followConfiguredSources(supergraph, config, log);
  const readiness = () => ({
    ...gatewayReadiness({
      firstLoad: region.firstLoad,
      supergraphLoaded: apollo.schemaLoaded,
      keys: front.keysReady,
    }),
    reload: supergraph.journal.readiness(),
  });
  let selfUrl = '';
  const running = await serveRoutes(
    gatewayRoutes({
      config,
      server: apollo.server,
      door: front.door,
      health: region.health,
      serverTiming: deps.serverTiming,
      selfUrl: () => selfUrl,
    }),
    {
      port: config.port,
      host: config.host,
      maxBodyBytes: config.maxBodyBytes,
      onError: (e) => log.error({ err: e }, 'request failed'),
      metrics,
      readiness,
      kind: 'gateway',
      pathRoute: (path) => issuerDocumentRoute(path, issuerDocuments),
    },
  );
  selfUrl = running.url;
  const release = async () => {
    sources.stop();
    region.stop();
    await apollo.server.stop();
    if (!deps.http) await region.http.close();
    front.close();
  };
  return {
    ...running,
    graphqlUrl: `${running.url}/graphql`,
    membership: region.membership,
    health: region.health,
    probe: region.probe,
    metrics,
    keyring: calls.keyring,
    supergraph: supergraph.reload,
    async close() {
      await running.close();
      await release();
    },
    async drain(graceMs) {
      const drained = await running.drain(graceMs);
      await release();
      return drained;
    },
  };
}
