// A whole region in one process on port 0: registry, municipal shards and the gateway.
// Tests and benchmarks use it; the demo runs the same parts as separate processes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { Authenticator } from '../../common/caller-tokens';
import { registryDirectory } from '../../common/directory-client';
import { silentLogger } from '../../common/logger';
import { MemberKeyring } from '../../common/member-keys';
import type { CallVerifier } from '../../common/message-signatures';
import { createProcessMetrics, type ProcessMetrics } from '../../common/metrics';
import { MemoryNonceCache, type NonceCache } from '../../common/nonces';
import { openPostgres, type PgConnection, type PgHandle, StatementCounter } from '../../common/postgres';
import type { RegionData } from '../../common/region-records';
import { sqlObserver } from '../../common/sql-observer';
import { type GatewayDeps, type RunningGateway, startGateway } from '../../gateway/src/server';
import {
  DEMO_AUDIENCE,
  DEMO_ISSUER,
  type MintOptions,
  mintToken,
  type TokenClaims,
  type TrustMaterial,
} from '../../scripts/region/keys';
import { demoRegistrySeed } from '../../scripts/seed/agreements';
import { openNativeStore } from '../../subgraphs/municipal/adapters/native';
import { createNativeAuditStore } from '../../subgraphs/municipal/adapters/native/audit';
import { createNativeTables, seedNative } from '../../subgraphs/municipal/adapters/native/seed';
import type { AuditStore } from '../../subgraphs/municipal/audit/chain';
import type { IssuingSettings } from '../../subgraphs/municipal/issuing/issuer';
import { type StatusIndexes, statusIndexes } from '../../subgraphs/municipal/issuing/status-indexes';
import { agreementsInForce } from '../../subgraphs/municipal/policy/partners';
import { type PolicyFile, ReleasePolicy, releaseEverything } from '../../subgraphs/municipal/policy/policy';
import {
  type AlertSettings,
  type MunicipalServer,
  type MunicipalServerOptions,
  startMunicipalServer,
} from '../../subgraphs/municipal/server';
import type { MunicipalStore } from '../../subgraphs/municipal/store';
import { createRegistryTables, seedRegistry } from '../../subgraphs/registry/seed';
import { type RunningRegistry, startRegistryServer } from '../../subgraphs/registry/server';
import { createRegistryStore } from '../../subgraphs/registry/store';
import { callerTokensOf, TEST_IDENTITY_PROVIDER } from './callers';
import { openTestDatabase } from './test-databases';

export interface ShardSpec {
  /** Municipality codes this shard's database holds. */
  codes: readonly string[];
  connection?: PgConnection;
  /**
   * Builds the store for this shard instead of the native one over `connection`. `ownRecords`
   * opens (once) the shard's database of the region's own records, which the harness also gives
   * the audit log and the status list positions, as a deployment's AUDIT_DATABASE holds all three
   * (revocation alerts keep their outbox there too).
   */
  store?: (
    region: RegionData,
    counter: StatementCounter,
    ownRecords: () => Promise<PgHandle>,
  ) => Promise<MunicipalStore>;
  /** Builds the shard's audit log; by default a native audit table in its own-records database. */
  audit?: () => Promise<AuditStore>;
  /** The shard's key folder; by default a fresh one per shard (replicas of one member share theirs). */
  keyDir?: string;
  /** Nonces the shard has seen; by default its own in memory (replicas share theirs in Redis). */
  nonces?: NonceCache;
  /** Whether a shard added after the start has its keys admitted at once (default); false: a test admits it. */
  admitKeys?: boolean;
}

export interface RegionOptions {
  region: RegionData;
  /** How municipalities are split over databases; default one shard per municipality. */
  shards?: readonly ShardSpec[];
  today?: string;
  /** Clock of the registry (its today dates recognitions) and of municipal writes. */
  now?: () => Date;
  gateway?: Partial<Parameters<typeof startGateway>[0]>;
  gatewayDeps?: GatewayDeps;
  /** Counts the registry's SQL statements (benchmarks report statements per request). */
  registryCounter?: StatementCounter;
  /** Shards' counters count the audit log's statements too. */
  countAuditStatements?: boolean;
  trust?: RegionTrustOptions;
  /** Revocation alerts between native shards (outbox, dispatcher, /events); off by default. */
  alerts?: Omit<AlertSettings, 'db'>;
}

export interface RegionTrustOptions {
  /** Release policy per municipality code; by default every field is released (and audited). */
  policies?: Record<string, PolicyFile>;
  /** Whose token `query()` sends when no authorization header is given; null sends none. */
  defaultCaller?: TokenClaims | null;
  /** The identity provider whose JWKS every member is given; by default this run's (tests/support/callers.ts). */
  material?: TrustMaterial;
  /** Clock of the subgraphs and the registry (signature freshness, audit timestamps). */
  now?: () => number;
  /** How long members use their copy of the registry's key directory; default 30 s. */
  directoryTtlMs?: number;
  /** Policies whose partners are "agreements-in-force" ask the registry through this cache. */
  partners?: {
    /** Clock of the cache and of the day agreements must be in force on; default the subgraph clock. */
    now?: () => number;
    /** How long an answer is kept; default 30 s. */
    ttlMs?: number;
  };
  /** Replaces every member's check of signed calls (a benchmark measuring what signatures cost). */
  verifier?: CallVerifier;
}

export type GraphQLAnswer<T> = {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
};

export interface InProcessRegion {
  gateway: RunningGateway;
  shards: {
    spec: ShardSpec;
    server: MunicipalServer;
    counter: StatementCounter;
    store: MunicipalStore;
    /** The shard's database, when it runs the native schema. */
    handle?: PgHandle;
    /** The database of the region's own records: the native one, or a legacy store's side database. */
    ownRecords?: PgHandle;
    /** The shard's audit log (in its own database when native). */
    audit: AuditStore;
    /** The shard's metrics (its /metrics), SQL statements included when native. */
    metrics: ProcessMetrics;
    /** The shard's own keys. */
    keyring: MemberKeyring;
    /** The shard's issuer URL and status list positions (credential documents, signed with `keyring`). */
    issuing: IssuingSettings;
    /** Stops the shard's server, keeping its data; `start` serves it again on the same port. */
    stop(): Promise<void>;
    start(): Promise<void>;
  }[];
  /**
   * Starts one more municipal server with the region's trust material, seeded from `data`; it
   * is not in the registry until a test adds it there. Closed with the region.
   */
  addShard(spec: ShardSpec, data: RegionData): Promise<InProcessRegion['shards'][number]>;
  /** The identity provider's token-signing keys. */
  trust: TrustMaterial;
  /** A token checker as each member builds it from the identity provider's JWKS (one per member). */
  callerTokens(): Authenticator;
  /** Each member's own keys (in a temporary folder per region), the registry's public JWKS, the folders. */
  keys: {
    root: string;
    gateway: MemberKeyring;
    registry: MemberKeyring;
    /** Key folder of each shard, by its codes joined with "+". */
    shardDirs: Record<string, string>;
  };
  /** Mints a bearer token the gateway accepts. */
  token(claims: TokenClaims, options?: MintOptions): Promise<string>;
  registryUrl: string;
  registryHandle: PgHandle;
  /** The registry's server (tests stop it to see how the region copes; withdraw keys through `memberKeys`). */
  registry: RunningRegistry;
  registryMetrics: ProcessMetrics;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked by the caller.
  query<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLAnswer<T>>;
  close(): Promise<void>;
}

export async function postGraphQL<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<GraphQLAnswer<T>> {
  // undici's request, not fetch: fetch adds tens of milliseconds per call on loopback.
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.body.json()) as GraphQLAnswer<T>;
}

export async function startRegion(options: RegionOptions): Promise<InProcessRegion> {
  const specs: readonly ShardSpec[] =
    options.shards ?? options.region.municipalities.map((m) => ({ codes: [m.code] }));
  const closers: (() => Promise<void>)[] = [];
  const material = options.trust?.material ?? TEST_IDENTITY_PROVIDER;
  /** Each member checks callers' tokens itself, against the identity provider's JWKS, with its own cache. */
  const subgraphNow = options.trust?.now ?? Date.now;
  const callerTokens = () => callerTokensOf(material, subgraphNow);
  const token = (claims: TokenClaims, mint?: MintOptions) => mintToken(material.privateJwk, claims, mint);
  const firstCode = options.region.municipalities[0]?.code ?? 'NB';
  const defaultCaller =
    options.trust?.defaultCaller === undefined
      ? { subject: 'region-test', role: 'officer' as const, municipality: firstCode }
      : options.trust.defaultCaller;
  // Valid for a year, like the callers' tokens: members check it on the subgraphs' clock, which tests may move.
  const defaultToken = defaultCaller ? await token(defaultCaller, { ttlSec: 365 * 24 * 3600 }) : null;
  /** Known once the registry listens; the municipalities' partner caches ask it from then on. */
  let registryUrl: string | undefined;
  let registryServer: RunningRegistry | undefined;
  const keyRoot = mkdtempSync(join(tmpdir(), 'crossgate-keys-'));
  closers.push(async () => rmSync(keyRoot, { recursive: true, force: true }));
  const registryKeyring = MemberKeyring.open(join(keyRoot, 'registry'), 'registry');
  const directoryTtlMs = options.trust?.directoryTtlMs ?? 30_000;
  const shardDirs: Record<string, string> = {};
  /** Known once the gateway listens: the issuers' URLs are under it. */
  let gatewayUrl = 'http://gateway.invalid';
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  try {
    const startShard = async (spec: ShardSpec, data: RegionData = options.region) => {
      const counter = new StatementCounter({ withAudit: options.countAuditStatements });
      const metrics = createProcessMetrics('municipal', { defaults: false });
      let store: MunicipalStore;
      let handle: PgHandle | undefined;
      // The own-records database of a shard with a store of its own is opened only when something
      // needs it (under CROSSGATE_TEST_DATABASES=pglite each costs seconds of CPU).
      let ownRecords: Promise<PgHandle> | undefined;
      const openOwnRecords = () => {
        ownRecords ??= openTestDatabase();
        return ownRecords;
      };
      // Closed after the store and the server (closers run in reverse), whenever it was opened.
      closers.push(async () => {
        if (ownRecords) await (await ownRecords).close();
      });
      if (spec.store) {
        store = await spec.store(data, counter, openOwnRecords);
      } else {
        const observe = sqlObserver(metrics, 'native', 'postgresql');
        const opened = spec.connection
          ? await openPostgres(spec.connection, counter, { observe })
          : await openTestDatabase(counter, { observe });
        handle = opened;
        closers.push(() => opened.close());
        await createNativeTables(opened);
        await seedNative(opened, data, spec.codes);
        store = await openNativeStore(opened, spec.codes);
      }
      closers.push(() => store.close());
      const recordsHandle = () => (handle ? Promise.resolve(handle) : openOwnRecords());
      const audit = spec.audit ? await spec.audit() : await createNativeAuditStore(await recordsHandle());
      const issuing: IssuingSettings = {
        publicBaseUrl: () => gatewayUrl,
        indexes: handle
          ? await statusIndexes(handle)
          : lazyStatusIndexes(async () => statusIndexes(await recordsHandle())),
        now: () => new Date(subgraphNow()),
        statusTtlSeconds: 60,
      };
      counter.reset();
      const today = options.today;
      const member = spec.codes.join('+');
      const keyDir = spec.keyDir ?? join(keyRoot, `municipality-${member}`);
      shardDirs[member] = keyDir;
      const keyring = MemberKeyring.open(keyDir, member);
      // A shard started after the registry is admitted at once (the operator's act, as at seeding).
      if (spec.admitKeys !== false)
        await registryServer?.memberKeys.admit(
          spec.codes.map((code) => ({
            member: code,
            role: 'municipality' as const,
            jwk: keyring.current.publicJwk,
          })),
        );
      const serverOptions: MunicipalServerOptions = {
        store,
        today: today ? () => today : undefined,
        now: options.now,
        trust: {
          keyring,
          directory: registryDirectory({
            registryUrl: () => registryUrl,
            keyring,
            registryKeys: registryKeyring.all().map((k) => k.publicJwk),
            ttlMs: directoryTtlMs,
            now: subgraphNow,
          }),
          nonces: spec.nonces ?? new MemoryNonceCache(subgraphNow),
          windowMs: 60_000,
          signatureNow: subgraphNow,
          authenticate: callerTokens(),
          verifier: options.trust?.verifier,
          policies: spec.codes.map(
            (code) =>
              new ReleasePolicy(
                options.trust?.policies?.[code] ?? releaseEverything(code),
                agreementsInForce({
                  municipality: code,
                  registryUrl: () => registryUrl,
                  keyring,
                  ttlMs: options.trust?.partners?.ttlMs ?? 30_000,
                  timeoutMs: 5000,
                  now: options.trust?.partners?.now ?? subgraphNow,
                  signatureNow: subgraphNow,
                  log: silentLogger,
                }),
              ),
          ),
          audit,
          now: () => new Date(subgraphNow()),
        },
        metrics,
        issuing,
        alerts: options.alerts ? { ...options.alerts, db: (await recordsHandle()).db } : undefined,
        // Tests make checkpoints when they want one (server.checkpoint()); no timer races their clocks.
        checkpoints: { registryUrl: () => registryUrl, intervalMs: 0 },
      };
      const server = await startMunicipalServer(serverOptions);
      closers.push(() => shard.server.close());
      const shard: InProcessRegion['shards'][number] = {
        spec,
        server,
        counter,
        store,
        handle,
        ownRecords: handle ?? (ownRecords ? await ownRecords : undefined),
        audit,
        metrics,
        keyring,
        issuing,
        stop: () => shard.server.close(),
        async start() {
          const port = Number(new URL(shard.server.url).port);
          // A restarted process starts with fresh metrics.
          shard.metrics = createProcessMetrics('municipal', { defaults: false });
          shard.server = await startMunicipalServer({
            ...serverOptions,
            metrics: shard.metrics,
            port,
            host: '127.0.0.1',
          });
        },
      };
      return shard;
    };
    const shards = await Promise.all(specs.map((spec) => startShard(spec)));
    const registryMetrics = createProcessMetrics('registry', { defaults: false });
    const registryHandle = await openTestDatabase(options.registryCounter, {
      observe: sqlObserver(registryMetrics, 'registry', 'postgresql'),
    });
    closers.push(() => registryHandle.close());
    await createRegistryTables(registryHandle);
    await seedRegistry(
      registryHandle,
      demoRegistrySeed(options.region),
      shards.flatMap((s) =>
        s.spec.codes.map((code) => ({
          code,
          credentialsUrl: s.server.credentialsUrl,
          workforceUrl: s.server.workforceUrl,
        })),
      ),
    );
    const gatewayKeyDir = join(keyRoot, 'gateway');
    const gatewayKeyring = MemberKeyring.open(gatewayKeyDir, 'gateway');
    const registry = await startRegistryServer({
      store: createRegistryStore(registryHandle.db),
      now: options.now,
      trust: {
        keyring: registryKeyring,
        nonces: new MemoryNonceCache(subgraphNow),
        windowMs: 60_000,
        directoryTtlMs,
        now: subgraphNow,
        authenticate: callerTokens(),
        verifier: options.trust?.verifier,
        admit: [
          { member: 'gateway', role: 'gateway', jwk: gatewayKeyring.current.publicJwk },
          ...shards.flatMap((s) =>
            s.spec.codes.map((code) => ({
              member: code,
              role: 'municipality' as const,
              jwk: s.keyring.current.publicJwk,
            })),
          ),
        ],
      },
      metrics: registryMetrics,
    });
    closers.push(() => registry.close());
    registryUrl = registry.graphqlUrl;
    registryServer = registry;
    const gateway = await startGateway(
      {
        port: 0,
        host: '127.0.0.1',
        registryUrl: registry.graphqlUrl,
        shardTimeoutMs: 5000,
        membershipRefreshMs: 0,
        membershipRetryInitialMs: 200,
        membershipRetryMaxMs: 2000,
        shutdownGraceMs: 10_000,
        // Tests run probe rounds themselves, or set an interval: a timer would race their stepped clocks.
        healthProbeMs: 0,
        breakerFailures: 5,
        breakerCoolDownMs: 10_000,
        logLevel: 'silent',
        development: true,
        tokenKeys: { kind: 'jwks', jwks: material.jwks as { keys: Record<string, unknown>[] } },
        tokenIssuer: DEMO_ISSUER,
        tokenAudience: DEMO_AUDIENCE,
        keyDir: gatewayKeyDir,
        registryKeys: registryKeyring.all().map((k) => k.publicJwk as Record<string, unknown>),
        directoryTtlMs,
        directoryStaleMs: 600_000,
        signatureWindowMs: 60_000,
        maxBodyBytes: 100_000,
        rateLimitPerMinute: 100_000,
        redisPrefix: 'crossgate-test:',
        persistedOperations: 'off',
        maxDepth: 12,
        maxAliases: 15,
        maxTokens: 2000,
        maxCost: 20_000,
        flowSuppressionThreshold: 5,
        ...options.gateway,
      },
      options.gatewayDeps,
    );
    closers.push(() => gateway.close());
    gatewayUrl = gateway.url;
    await admitSlowMembers(gateway);
    return {
      gateway,
      shards,
      registryUrl: registry.graphqlUrl,
      registryHandle,
      registry,
      registryMetrics,
      addShard: startShard,
      trust: material,
      callerTokens,
      keys: { root: keyRoot, gateway: gateway.keyring, registry: registryKeyring, shardDirs },
      token,
      query: (query, variables, headers) =>
        postGraphQL(gateway.graphqlUrl, query, variables, {
          ...(defaultToken ? { authorization: `Bearer ${defaultToken}` } : {}),
          ...headers,
        }),
      close: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}

/** Status list positions whose database is opened on the first credential document issued. */
function lazyStatusIndexes(open: () => Promise<StatusIndexes>): StatusIndexes {
  let opened: Promise<StatusIndexes> | undefined;
  const indexes = () => {
    opened ??= open().catch((e) => {
      opened = undefined;
      throw e;
    });
    return opened;
  };
  return {
    positionOf: async (municipality, credentialId) =>
      (await indexes()).positionOf(municipality, credentialId),
    all: async (municipality) => (await indexes()).all(municipality),
  };
}

/**
 * On a loaded machine a member's first `_service { sdl }` check can time out, or be refused while
 * the member's first read of the registry's key directory is still slow (the check then comes back
 * without an SDL), and the harness reads the member list once: check such members again (a bounded
 * number of times) before the tests run.
 */
async function admitSlowMembers(gateway: RunningGateway): Promise<void> {
  const transient = (problem: string) =>
    problem.endsWith('(timeout)') || problem.includes('without an SDL') || problem.includes('did not answer');
  for (let round = 0; round < 20; round++) {
    const state = gateway.membership.current;
    if (state.phase !== 'ready') return;
    if (![...state.refused.values()].some(transient)) return;
    await new Promise((r) => setTimeout(r, 500));
    await gateway.membership.refresh();
  }
}
