// The regional gateway: wires the supergraph, the fan-out, membership and the IDE together.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import Redis from 'ioredis';
import { type Authenticator, bearerTokenOf, createAuthenticator } from '../../common/caller-tokens';
import { registryDirectory } from '../../common/directory-client';
import { graphqlRoute, type Route, type RunningServer, serveRoutes } from '../../common/http';
import { type Logger, silentLogger } from '../../common/logger';
import { MemberKeyring } from '../../common/member-keys';
import { createAnswerCheck } from '../../common/message-signatures';
import { createProcessMetrics, type ProcessMetrics } from '../../common/metrics';
import { operationMetricsPlugin } from '../../common/operation-metrics';
import { ReloadJournal } from '../../common/reload';
import { keysReadiness, tokenKeys } from '../../common/token-keys';
import type { Caller } from '../../schema/caller';
import { MUNICIPAL_SUBGRAPHS, readSupergraph, subgraphSdl } from '../../schema/contract';
import { signedAnswersOnly } from './auth/answer-signatures';
import { authorizationPlugin, requirementsFromSupergraph } from './auth/authorize';
import { type ForwardHeaders, signedForwarding } from './auth/forward';
import { admit } from './auth/front-door';
import type { GatewayConfig } from './config';
import { dashboardRoutes } from './dashboard/routes';
import { createSubgraphHttpClient, type SubgraphHttpClient } from './datasources/http-client';
import { createReferenceCache, DEFAULT_REFERENCE_TTL_MS } from './datasources/reference-cache';
import { RegistryDataSource } from './datasources/registry';
import { FetchTimeline, serverTimingPlugin, type TimedContext, timedServices } from './datasources/timing';
import { CircuitBreakers } from './fanout/breaker';
import { FanOutDataSource, type FanOutOptions } from './fanout/fanout';
import { checkMergeRules, type MunicipalSubgraph } from './fanout/rules';
import { memberTraffic } from './fanout/traffic';
import { gatewayReadiness } from './health';
import { DEFAULT_IDE_QUERY } from './ide/default-query';
import { idePage, ideRoutes } from './ide/routes';
import { operationLimits } from './limits/armor';
import { maskErrors } from './limits/mask-errors';
import { type Manifest, readManifest } from './limits/persisted';
import { memoryRateLimiter, type RateLimiter, redisRateLimiter } from './limits/rate-limit';
import { memberContractProblem } from './membership/contract-check';
import { loadMembership } from './membership/first-load';
import { type RegionHealth, regionHealth } from './membership/health';
import { Membership } from './membership/members';
import { BackgroundProbe, DEFAULT_PROBE_MS } from './membership/probe';
import { countedRateLimiter, membershipGauges, observePlanCache } from './observability/gateway-metrics';
import { observedUpstream, upstreamByRouting } from './observability/upstream';
import { issuerDocumentFetch } from './presentations/issuer-documents';
import { fetchedIssuerKeys } from './presentations/issuer-keys';
import { issuerDocumentRoute } from './presentations/issuer-routes';
import { invalidatingOnLifecycleWrites } from './presentations/lifecycle-writes';
import { relayedDirectoryRoute } from './presentations/public-directory';
import { statusListCache } from './presentations/status-cache';
import { presentationVerifier } from './presentations/verify-presentation';
import { printPageRoutes } from './print-page/routes';
import { OperationsInUse } from './reload/operations-in-use';
import { buildSupergraph } from './reload/supergraph-check';
import { followSupergraphSources, SupergraphReload } from './reload/supergraph-reload';
import { verifyPageRoutes } from './verify-page/routes';
import { workforceFlowsReport } from './workforce-flows/aggregate-report';
import { registryCall } from './workforce-flows/registry-call';

export interface GatewayContext extends TimedContext {
  requestId: string;
  caller: Caller;
  /** The caller's bearer token, passed on to each owner, which checks the caller itself. */
  token: string | null;
}

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
  checkAnswer: NonNullable<FanOutOptions['checkAnswer']>;
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

/** How often a configured supergraph file or URL is looked at, unless configured. */
export const DEFAULT_SUPERGRAPH_POLL_MS = 2000;

export { DEFAULT_IDE_QUERY } from './ide/default-query';

export async function startGateway(config: GatewayConfig, deps: GatewayDeps = {}): Promise<RunningGateway> {
  const log = deps.log ?? silentLogger;
  const metrics = deps.metrics ?? createProcessMetrics('gateway', { defaults: false });
  const pooled = deps.http ?? createSubgraphHttpClient();
  for (const name of MUNICIPAL_SUBGRAPHS) checkMergeRules(name, subgraphSdl(name));
  // The supergraph first: one that cannot be served stops the start before anything else runs.
  const supergraphSdl =
    deps.supergraphSdl ??
    (config.supergraphFile ? readFileSync(config.supergraphFile, 'utf8') : readSupergraph());
  const initial = buildSupergraph(supergraphSdl);
  if (!initial.ok) throw new Error(`The supergraph cannot be served: ${initial.problems.join('; ')}`);
  const journal = new ReloadJournal(log.child({ component: 'reload' }), metrics);
  const operationsInUse = new OperationsInUse();
  const supergraph = new SupergraphReload(initial.built, operationsInUse, journal);
  let requirements = requirementsFromSupergraph(supergraphSdl);
  supergraph.onApplied((built) => {
    requirements = requirementsFromSupergraph(built.sdl);
  });
  const now = deps.now ?? Date.now;
  const breakers = new CircuitBreakers({
    failureThreshold: config.breakerFailures,
    coolDownMs: config.breakerCoolDownMs,
    now: deps.circuitClock ?? now,
  });
  const traffic = memberTraffic(config);
  const keyring = MemberKeyring.open(config.keyDir, 'gateway');
  const reference = createReferenceCache({
    ttlMs: config.referenceCacheTtlMs ?? DEFAULT_REFERENCE_TTL_MS,
    now: deps.referenceClock ?? now,
  });
  const forward = deps.signatures?.forward ?? signedForwarding(keyring, now);
  // The registry's directory tells whose key signed each municipal answer; it is read with a signed call.
  const keyDirectory = registryDirectory({
    registryUrl: () => config.registryUrl,
    keyring,
    registryKeys: config.registryKeys,
    ttlMs: config.directoryTtlMs,
    staleMs: config.directoryStaleMs,
    now,
  });
  const checkAnswer =
    deps.signatures?.checkAnswer ??
    signedAnswersOnly(
      createAnswerCheck({ directory: keyDirectory, windowMs: config.signatureWindowMs, now }),
      (shard, reason) =>
        log.warn({ municipality: shard.id, reason }, 'refused an answer not signed by its owner'),
    );
  const routing: { membership?: Membership } = {};
  const http = observedUpstream(
    pooled,
    upstreamByRouting(config.registryUrl, () => routing.membership),
    metrics,
  );
  const membership = new Membership(
    config.registryUrl,
    http,
    log.child({ component: 'membership' }),
    (url, body) => forward(url, body, undefined),
    config.shardTimeoutMs,
    (member) =>
      memberContractProblem(member, http, config.shardTimeoutMs, (url, body) =>
        forward(url, body, undefined),
      ),
  );
  // A member that leaves takes its circuits, latency samples and idle queue with it.
  membership.onRouted((endpoints) => {
    for (const state of [breakers, traffic]) state.retain(endpoints);
  });
  routing.membership = membership;
  membership.onChange(membershipGauges(metrics, membership, (url) => breakers.state(url).phase).changed);
  const firstLoad = await loadMembership(membership, log.child({ component: 'membership' }), {
    initialMs: config.membershipRetryInitialMs,
    maxMs: config.membershipRetryMaxMs,
  });
  membership.start(config.membershipRefreshMs);
  const probe = new BackgroundProbe({
    membership,
    breakers,
    http,
    registryUrl: config.registryUrl,
    sign: (url, body) => forward(url, body, undefined),
    timeoutMs: config.shardTimeoutMs,
    log: log.child({ component: 'probe' }),
  });
  probe.start(config.healthProbeMs ?? DEFAULT_PROBE_MS);
  const issuerDocuments = issuerDocumentFetch(
    (code) => membership.shardMap('credentials').shardOf(code)?.url,
    config.shardTimeoutMs,
  );
  const issuerKeys = fetchedIssuerKeys(issuerDocuments, 5 * 60_000, now);
  const statusLists = statusListCache(issuerDocuments, issuerKeys, now);
  const today = () => new Date(now()).toISOString().slice(0, 10);
  const health = () => regionHealth(membership, breakers, traffic.queues);
  const keys = deps.authenticate ? undefined : tokenKeys(config.tokenKeys);
  const authenticate =
    deps.authenticate ??
    createAuthenticator({
      keys: keys ?? tokenKeys(config.tokenKeys),
      issuer: config.tokenIssuer,
      audience: config.tokenAudience,
      now: () => new Date(now()),
    });
  const ownRedis =
    !deps.redis && config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: false }) : undefined;
  const redis = deps.redis ?? ownRedis;
  const limitLog = log.child({ component: 'rate-limit' });
  // Connection errors are reported by the limiter once per outage; the client retries on its own.
  ownRedis?.on('error', () => undefined);
  const rateLimiter: RateLimiter = countedRateLimiter(
    redis
      ? redisRateLimiter(redis, config.rateLimitPerMinute, `${config.redisPrefix}rate:`, now, {
          unavailable: (err) =>
            limitLog.warn({ err }, 'Redis does not answer; counting rate limits in this process'),
          restored: () => limitLog.info('Redis answers again; rate limits are shared again'),
        })
      : memoryRateLimiter(config.rateLimitPerMinute, now),
    metrics,
  );
  const manifest =
    deps.manifest ??
    (config.persistedManifest ? readManifest(config.persistedManifest) : new Map<string, string>());
  const door = { authenticate, rateLimiter, persisted: { mode: config.persistedOperations, manifest } };
  const admitted = new WeakMap<IncomingMessage, Caller>();
  const limits = operationLimits(
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
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.manager(),
    logger: log.child({ component: 'apollo-gateway' }),
    buildService: timedServices(deps.serverTiming, ({ name }) => {
      if ((MUNICIPAL_SUBGRAPHS as readonly string[]).includes(name)) {
        const subgraph = name as MunicipalSubgraph;
        const fanOut = new FanOutDataSource({
          subgraph,
          shards: () => membership.shardMap(subgraph),
          http,
          timeoutMs: config.shardTimeoutMs,
          headers: (shard, body, context) => forward(shard.url, body, context),
          checkAnswer,
          onShardCall: deps.onShardCall,
          breakers,
          traffic,
          aggregates: {
            workforceFlows: workforceFlowsReport({
              threshold: config.flowSuppressionThreshold,
              registry: registryCall(http, config.registryUrl, config.shardTimeoutMs, forward),
            }),
          },
          answers: {
            verifyPresentation: presentationVerifier({ keys: issuerKeys, statusLists, today, keyring, now }),
          },
        });
        return invalidatingOnLifecycleWrites(fanOut, statusLists);
      }
      return new RegistryDataSource(
        () => config.registryUrl,
        http,
        config.shardTimeoutMs,
        (body, context) => forward(config.registryUrl, body, context),
        reference,
      );
    }),
  });

  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.development,
    includeStacktraceInErrorResponses: false,
    persistedQueries: false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    formatError: maskErrors(log.child({ component: 'errors' })),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...(limits.plugins as ApolloServerPlugin<GatewayContext>[]),
      authorizationPlugin<GatewayContext>(() => requirements),
      operationsInUse.plugin<GatewayContext>(),
      ...(deps.serverTiming ? [serverTimingPlugin<GatewayContext>()] : []),
      operationMetricsPlugin<GatewayContext>(metrics),
    ],
  });
  observePlanCache(metrics, gateway);
  await server.start();
  const sources = followSupergraphSources(supergraph, {
    file: config.supergraphFile,
    url: config.supergraphUrl,
    pollMs: config.supergraphPollMs ?? DEFAULT_SUPERGRAPH_POLL_MS,
    log: log.child({ component: 'reload' }),
  });
  const readiness = () => ({
    ...gatewayReadiness({
      firstLoad: firstLoad.state,
      supergraphLoaded: () => gateway.schema !== undefined,
      keys: () => (keys ? keysReadiness(keys) : { ok: true }),
    }),
    reload: journal.readiness(),
  });

  const api = graphqlRoute(server, async (req) => {
    const caller = admitted.get(req) ?? (await authenticate(req));
    return {
      requestId: String(req.headers['x-request-id'] ?? randomUUID()),
      caller,
      token: caller.role === 'anonymous' ? null : bearerTokenOf(req),
      timeline: deps.serverTiming ? new FetchTimeline() : undefined,
    };
  });
  const guardedApi: Route = async (req, res, raw) => {
    const admission = await admit(door, req, res, raw);
    if (!admission.ok) return;
    admitted.set(req, admission.caller);
    return api(req, res, admission.body);
  };
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
    return guardedApi(req, res, body);
  };
  let selfUrl = '';
  const running = await serveRoutes(
    {
      '/': graphqlOrIde,
      '/graphql': graphqlOrIde,
      '/health': (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(health()));
      },
      ...ideRoutes(),
      ...dashboardRoutes(() => `${selfUrl}/graphql`),
      ...verifyPageRoutes(),
      '/directory': relayedDirectoryRoute(() => config.registryUrl, config.shardTimeoutMs),
      ...printPageRoutes(),
    },
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
    firstLoad.stop();
    membership.stop();
    probe.stop();
    await server.stop();
    if (!deps.http) await http.close();
    if (ownRedis) ownRedis.disconnect();
  };
  return {
    ...running,
    graphqlUrl: `${running.url}/graphql`,
    membership,
    health,
    probe,
    metrics,
    keyring,
    supergraph,
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
