// The registry subgraph server, owned by the joint governance body.

import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { Authenticator } from '../../common/caller-tokens';
import { graphqlRoute, type Route, type RunningServer, sendJson, serveRoutes } from '../../common/http';
import { hidingInternalErrors } from '../../common/internal-errors';
import { KeyDirectory } from '../../common/key-directory';
import { withinMs } from '../../common/lifecycle';
import { type Logger, silentLogger } from '../../common/logger';
import type { MemberKeyring } from '../../common/member-keys';
import { type CallVerifier, createCallVerifier } from '../../common/message-signatures';
import type { ProcessMetrics } from '../../common/metrics';
import type { NonceCache } from '../../common/nonces';
import { operationMetricsPlugin } from '../../common/operation-metrics';
import { mergeResolvers } from '../../common/resolvers';
import { type RefusalHandler, signedOnly } from '../../common/signed-route';
import { countedVerifier } from '../../common/trust-metrics';
import { ANONYMOUS, type Caller } from '../../schema/caller';
import { subgraphSdl } from '../../schema/contract';
import { CODES, type ErrorCode } from '../../schema/errors';
import { DateScalar } from '../../schema/scalars';
import {
  createRegistryDeps,
  createRequestLoaders,
  createRequestReference,
  type RegistryContext,
} from './context';
import {
  checkpointsRoute,
  directoryRoute,
  keysRoute,
  PUBLIC_DIRECTORY_PATH,
  publicDirectoryRoute,
} from './key-routes';
import { agreementResolvers } from './modules/agreements/resolvers';
import { createAuditWitness } from './modules/audit-witness';
import { auditWitnessResolvers } from './modules/audit-witness-resolvers';
import { directoryResolvers } from './modules/directory';
import { flowOutcomeResolvers } from './modules/flow-outcomes';
import { type AdmittedKey, createMemberKeyStore } from './modules/member-keys';
import { createMemberAdmission } from './modules/members/admission';
import { memberResolvers } from './modules/members/resolvers';
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
  /** The registry's own keys, and how it checks the signed calls of members. */
  trust: RegistryTrust;
  /** The process's metrics; /metrics is served when given. */
  metrics?: ProcessMetrics;
  /** The region's supergraph as the joint body publishes it (GET /supergraph), read at each request. */
  supergraph?: () => Promise<string>;
}

export interface RunningRegistry extends RunningServer {
  graphqlUrl: string;
  /** The key table: tests and the administrator's tools withdraw keys through it. */
  memberKeys: ReturnType<typeof createMemberKeyStore>;
}

export interface RegistryTrust {
  keyring: MemberKeyring;
  nonces: NonceCache;
  /** How far a signature's creation time may drift from this server's clock. */
  windowMs: number;
  /** How long the registry's own copy of the key table is used before it is read again. */
  directoryTtlMs: number;
  /** Members' keys admitted at start (the demo's members, configured by its operator); idempotent. */
  admit?: readonly AdmittedKey[];
  /** Addresses the registry is called at besides the one it listens on (behind a proxy). */
  publicUrls?: readonly string[];
  /** Clock of signatures and key validity. */
  now?: () => number;
  /**
   * The end user's bearer token, checked against the identity provider's keys: the role on which
   * governance writes are decided. Only read on calls signed by the gateway.
   */
  authenticate: Authenticator;
  /** Replaces the check built from the directory: only a benchmark measuring what signatures cost passes one. */
  verifier?: CallVerifier;
}

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

export async function startRegistryServer(options: RegistryServerOptions): Promise<RunningRegistry> {
  const log = options.log ?? silentLogger;
  const schema = buildSubgraphSchema({
    typeDefs: parse(subgraphSdl('registry')),
    resolvers: mergeResolvers(
      { Date: DateScalar },
      directoryResolvers,
      agreementResolvers,
      memberResolvers,
      auditWitnessResolvers,
      recognitionResolvers,
      flowOutcomeResolvers,
    ) as never,
  });
  const server = new ApolloServer<RegistryContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    formatError: hidingInternalErrors(log, 'Internal error in the registry'),
    plugins: [
      operationMetricsPlugin<RegistryContext>(options.metrics),
      registryVersionPlugin(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
  await server.start();
  const trust = options.trust;
  const trustNow = trust.now ?? Date.now;
  const keys = createMemberKeyStore(options.store.db, () => new Date(trustNow()));
  await keys.admit([
    ...trust.keyring.all().map((k) => ({ member: 'registry', role: 'registry' as const, jwk: k.publicJwk })),
    ...(trust.admit ?? []),
  ]);
  const ownUrls: string[] = [...(trust.publicUrls ?? [])];
  const directory = new KeyDirectory({
    load: () => keys.directory(ownUrls),
    ttlMs: trust.directoryTtlMs,
    now: trustNow,
  });
  const attestation = {
    key: () => trust.keyring.current,
    keys: (kid: string, at: number) => directory.signerKey(kid, at),
    now: trustNow,
  };
  const admission = createMemberAdmission(options.store.db, () => new Date(trustNow()), {
    onChange: () => directory.invalidate(),
    retireGraceMs: trust.windowMs,
  });
  const witness = createAuditWitness(options.store.db, () => new Date(trustNow()));
  const deps = createRegistryDeps(options.store, admission, options.now ?? (() => new Date()), witness);
  /**
   * Who calls, per request: on the gateway's calls, the end user named by the token the registry
   * verified itself; on any other member's call, that member, with no role (a municipality holding a
   * user's token could otherwise act with it here).
   */
  const callers = new WeakMap<IncomingMessage, Caller>();
  const api = graphqlRoute(server, async (req) => {
    const reference = createRequestReference(deps);
    return {
      ...deps,
      caller: callers.get(req) ?? ANONYMOUS,
      today: deps.now().toISOString().slice(0, 10),
      reference,
      loaders: createRequestLoaders(deps, reference),
      attestation,
    };
  });
  /** Calls are read only under a valid signature of a member's own key; anything else is refused unread. */
  const verify = countedVerifier(
    trust.verifier ??
      createCallVerifier({
        directory,
        roles: ['gateway', 'municipality', 'registry'],
        ownAuthorities: () => ownUrls.map((u) => new URL(u).host),
        windowMs: trust.windowMs,
        nonces: trust.nonces,
        now: trustNow,
      }),
    options.metrics,
  );
  const refuse: RefusalHandler = (req, res, { path, reason }) => {
    log.warn({ path, reason, remote: req.socket.remoteAddress }, 'refused an unsigned call');
    sendJson(res, 401, {
      errors: [
        {
          message: `Only members of the region, each with its own key, may call the registry (call ${reason})`,
          extensions: { code: CODES.SIGNATURE_INVALID },
        },
      ],
    });
  };
  const running = await serveRoutes(
    {
      '/graphql': signedOnly(
        verify,
        '/graphql',
        async (req, res, body, signer) => {
          if (signer.role !== 'gateway') {
            callers.set(req, { ...ANONYMOUS, subject: `member:${signer.members.join('+')}` });
            return api(req, res, body);
          }
          try {
            callers.set(req, await trust.authenticate(req));
          } catch (e) {
            const error = e as { message?: string; extensions?: { code?: ErrorCode } };
            const code = error.extensions?.code ?? CODES.UNAUTHENTICATED;
            log.warn({ code, remote: req.socket.remoteAddress }, 'refused a caller token');
            return sendJson(res, code === CODES.UNAUTHENTICATED ? 401 : 400, {
              errors: [{ message: error.message ?? 'The bearer token is not valid', extensions: { code } }],
            });
          }
          return api(req, res, body);
        },
        refuse,
      ),
      '/directory': signedOnly(
        verify,
        '/directory',
        directoryRoute(trust.keyring, () => keys.directory(ownUrls)),
        refuse,
      ),
      [PUBLIC_DIRECTORY_PATH]: publicDirectoryRoute(
        trust.keyring,
        () => keys.directory([]),
        trust.directoryTtlMs,
        trustNow,
      ),
      '/keys': signedOnly(
        verify,
        '/keys',
        keysRoute(keys, () => directory.invalidate(), trust.windowMs, trustNow),
        refuse,
      ),
      '/checkpoints': signedOnly(
        verify,
        '/checkpoints',
        checkpointsRoute(witness, (kid) => directory.signerKey(kid, trustNow()), trust.keyring, log),
        refuse,
      ),
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
  ownUrls.push(`${running.url}/graphql`);
  return {
    ...running,
    graphqlUrl: `${running.url}/graphql`,
    memberKeys: keys,
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
