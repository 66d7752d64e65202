// One municipality's subgraph server: serves `credentials` and `workforce` over its own store.

import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { signStatement } from '../../common/credentials/attestation';
import { graphqlRoute, type Route, type RunningServer, sendJson, serveRoutes } from '../../common/http';
import { EVENTS_PATH } from '../../common/key-directory';
import { withinMs } from '../../common/lifecycle';
import { type Logger, silentLogger } from '../../common/logger';
import { createCallVerifier } from '../../common/message-signatures';
import type { ProcessMetrics } from '../../common/metrics';
import { operationMetricsPlugin } from '../../common/operation-metrics';
import type { ReloadJournal } from '../../common/reload';
import { mergeResolvers } from '../../common/resolvers';
import { headerOf, type RefusalHandler, signedOnly, signingAnswers } from '../../common/signed-route';
import { countedAppends, countedVerifier } from '../../common/trust-metrics';
import type { Caller } from '../../schema/caller';
import { subgraphSdl } from '../../schema/contract';
import { CODES, type ErrorCode } from '../../schema/errors';
import { DateScalar } from '../../schema/scalars';
import { AlertDispatcher, type AlertDispatcherOptions } from './alerts/dispatcher';
import { alertInbox, eventsRoute } from './alerts/receiver';
import { type Checkpointer, createCheckpointer } from './audit/checkpoints';
import { auditPlugin, refusalEntries } from './audit/record';
import { RefusalTally } from './audit/refusals';
import type { MunicipalContext } from './context';
import type { Issuing, IssuingSettings } from './issuing/issuer';
import { issuerRoutes } from './issuing/routes';
import { invalidatingLists, StatusListPublisher } from './issuing/status-lists';
import { createLoaders } from './loaders';
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
import { AccessLog, guardSchema } from './policy/guard';
import type { MunicipalStore } from './store';

export interface MunicipalServerOptions {
  store: MunicipalStore;
  port?: number;
  host?: string;
  log?: Logger;
  /** Clock for derived states; defaults to the system date. */
  today?: () => string;
  /** Clock of writes (history timestamps); defaults to the trust clock, then the system clock. */
  now?: () => Date;
  /** Signature check, release policies and audit log: this server trusts nothing else. */
  trust: MunicipalTrust;
  /** The process's metrics; /metrics is served when given. */
  metrics?: ProcessMetrics;
  /** Bound on the database check behind /readyz. */
  readinessTimeoutMs?: number;
  /**
   * The issuer URL and status list positions: credential documents and /issuer/<code>/ are served
   * when given, signed with the member's own key (`trust.keyring`).
   */
  issuing?: IssuingSettings;
  /** Outcomes of policy reloads, shown on /readyz. */
  reloads?: ReloadJournal;
  /**
   * Revocation alerts: the own-records database holding the outbox and the received events, and
   * how the dispatcher sends. /events is served and the outbox sent when given.
   */
  alerts?: AlertSettings;
  /** Refused requests are counted per source address over intervals of this length (default 60 s). */
  refusalIntervalMs?: number;
  /** The audit chain's checkpoints, witnessed by the registry; none are made when absent. */
  checkpoints?: { registryUrl: () => string | undefined; intervalMs: number };
}

export interface AlertSettings
  extends Pick<AlertDispatcherOptions, 'db' | 'pollMs' | 'retry' | 'timeoutMs' | 'random'> {}

export interface MunicipalServer extends RunningServer {
  credentialsUrl: string;
  workforceUrl: string;
  /** Makes a checkpoint of the audit chain now and has the registry witness it (also done at its interval). */
  checkpoint: Checkpointer['checkpoint'];
  /** Writes the refusals counted so far into the audit log (also done as each interval ends, and on close). */
  flushRefusals(): Promise<void>;
  /** The sender of this member's outbox, when alerts are on. */
  alerts?: AlertDispatcher;
}

/** Wakes the dispatcher after each write that may have put an event in the outbox. */
function nudgingOnWrites(store: MunicipalStore, dispatcher: AlertDispatcher): MunicipalStore {
  const after =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await write(...args);
      } finally {
        dispatcher.nudge();
      }
    };
  return {
    ...store,
    changeCredentialState: after(store.changeCredentialState.bind(store)),
    registerPlacement: after(store.registerPlacement.bind(store)),
    recordDecision: after(store.recordDecision.bind(store)),
  };
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
    ],
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => {
      const code = formatted.extensions?.code;
      if (code === CODES.INTERNAL_SERVER_ERROR || code === undefined) {
        log.error({ err: error }, 'resolver failed');
        return {
          message: 'Internal error in the municipal subgraph',
          path: formatted.path,
          extensions: { code: CODES.INTERNAL_SERVER_ERROR },
        };
      }
      return formatted;
    },
  });
}

export async function startMunicipalServer(options: MunicipalServerOptions): Promise<MunicipalServer> {
  const log = options.log ?? silentLogger;
  const today = options.today ?? systemToday;
  const trust: MunicipalTrust = {
    ...options.trust,
    audit: countedAppends(options.trust.audit, options.metrics),
  };
  /** Known once the server listens: a call signed for another address (another member) is refused. */
  let listening = '';
  const verify = countedVerifier(
    trust.verifier ??
      createCallVerifier({
        directory: trust.directory,
        roles: ['gateway'],
        ownAuthorities: async () => [
          listening,
          ...(await trust.directory.authoritiesOf(options.store.municipalities)),
        ],
        windowMs: trust.windowMs,
        nonces: trust.nonces,
        now: trust.signatureNow,
      }),
    options.metrics,
  );
  // Credentials and status lists are signed with this member's own key, the one the directory lists.
  const issuing: Issuing | undefined = options.issuing && { ...options.issuing, keyring: trust.keyring };
  const lists = issuing ? new StatusListPublisher(options.store, issuing) : undefined;
  const dispatcher = options.alerts
    ? new AlertDispatcher({
        ...options.alerts,
        audit: trust.audit,
        keyring: trust.keyring,
        directory: trust.directory,
        log: log.child({ component: 'alerts' }),
        signatureNow: trust.signatureNow,
      })
    : undefined;
  const listed = lists ? invalidatingLists(options.store, lists) : options.store;
  const store = dispatcher ? nudgingOnWrites(listed, dispatcher) : listed;
  const missing = store.municipalities.filter((m) => !trust.policies.some((p) => p.municipality === m));
  if (missing.length > 0) throw new Error(`No release policy for ${missing.join(', ')}`);
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
    options.metrics,
  );
  const workforce = subgraphServer(
    'workforce',
    [placementResolvers, flowResolvers, flowUseResolvers],
    log,
    trust,
    options.metrics,
  );
  await Promise.all([credentials.start(), workforce.start()]);
  /** The caller of each admitted request, as this server established it from the token. */
  const callers = new WeakMap<IncomingMessage, Caller>();
  const context = async (req: IncomingMessage): Promise<MunicipalContext> => ({
    caller: callers.get(req) ?? (await trust.authenticate(req)),
    requestId: header(req, 'x-request-id') ?? '',
    store,
    loaders: createLoaders(store),
    today: today(),
    now: options.now ?? trust.now ?? (() => new Date()),
    log,
    recordErrors: [],
    access: new AccessLog(),
    partnerViews: new Map(),
    audit: trust.audit,
    issuing,
    attest: (check) =>
      signStatement(trust.keyring.current, {
        ...check,
        checkedAt: new Date((trust.signatureNow ?? Date.now)()).toISOString(),
      }),
    alerts: options.alerts ? alertInbox(options.alerts.db) : undefined,
  });
  const municipality = store.municipalities.join('+');
  const audited = async (req: IncomingMessage, path: string, reason: string) => {
    await trust.audit
      .append(refusalEntries(store.municipalities, headerOf(req), path, reason, trust))
      .catch((e) => log.error({ err: e }, 'could not audit a refused request'));
  };
  /** Events are taken only from other members, each signing with its own key (checked against the directory). */
  const verifyMember = countedVerifier(
    createCallVerifier({
      directory: trust.directory,
      roles: ['municipality'],
      ownAuthorities: async () => [
        listening,
        ...(await trust.directory.authoritiesOf(options.store.municipalities)),
      ],
      windowMs: trust.windowMs,
      nonces: trust.nonces,
      now: trust.signatureNow,
    }),
    options.metrics,
  );
  const signatureNow = trust.signatureNow ?? Date.now;
  const refusals = new RefusalTally({
    audit: trust.audit,
    municipalities: store.municipalities,
    intervalMs: options.refusalIntervalMs ?? 60_000,
    now: signatureNow,
    log,
  });
  refusals.start();
  const checkpointer = createCheckpointer({
    audit: trust.audit,
    keyring: trust.keyring,
    registryUrl: options.checkpoints?.registryUrl ?? (() => undefined),
    members: store.municipalities,
    keyOf: (kid) => trust.directory.signerKey(kid, signatureNow()),
    intervalMs: options.checkpoints?.intervalMs ?? 0,
    now: signatureNow,
    log,
  });
  checkpointer.start();
  /**
   * Only calls signed by the key of the member holding the role "gateway" reach GraphQL. Refusals are
   * counted per source address (the connection's peer, not a header) and interval into the audit log.
   */
  const refuse: RefusalHandler = async (req, res, { path, reason }) => {
    log.debug({ path, reason, remote: req.socket.remoteAddress }, 'refused an unsigned request');
    refusals.note(req.socket.remoteAddress, path, reason);
    return sendJson(res, 401, {
      errors: [
        {
          message:
            path === EVENTS_PATH
              ? `Only a member of the region, signing with its own key, may send events here (call ${reason})`
              : `Only the regional gateway, signing with its own key, may call this subgraph (call ${reason})`,
          extensions: { code: CODES.SIGNATURE_INVALID, municipality },
        },
      ],
    });
  };
  /**
   * The caller is whom the identity provider's token names, checked here; a token that does not
   * verify is refused (and audited), never read as anonymous, whatever the signed call claims.
   */
  const identified =
    (path: string, route: Route): Route =>
    async (req, res, body) => {
      let caller: Caller;
      try {
        caller = await trust.authenticate(req);
      } catch (e) {
        const error = e as { message?: string; extensions?: { code?: ErrorCode } };
        const code = error.extensions?.code ?? CODES.UNAUTHENTICATED;
        log.warn({ path, code, remote: req.socket.remoteAddress }, 'refused a caller token');
        await audited(req, path, `caller token refused: ${error.message ?? 'not verified'}`);
        return sendJson(res, code === CODES.UNAUTHENTICATED ? 401 : 400, {
          errors: [
            { message: error.message ?? 'The bearer token is not valid', extensions: { code, municipality } },
          ],
        });
      }
      callers.set(req, caller);
      return route(req, res, body);
    };
  const signed = (path: string, route: Route) =>
    signingAnswers(trust.keyring, signatureNow, signedOnly(verify, path, identified(path, route), refuse));
  const running = await serveRoutes(
    {
      '/credentials': signed('/credentials', graphqlRoute(credentials, context)),
      '/workforce': signed('/workforce', graphqlRoute(workforce, context)),
      ...(issuing && lists ? issuerRoutes(issuing, lists, store.municipalities) : {}),
      ...(options.alerts
        ? {
            [EVENTS_PATH]: signedOnly(
              verifyMember,
              EVENTS_PATH,
              eventsRoute(options.alerts.db, store.municipalities, () => new Date()),
              refuse,
            ),
          }
        : {}),
      '/health': (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: 'ok', municipalities: store.municipalities }));
      },
    },
    {
      port: options.port ?? 0,
      host: options.host,
      onError: (e) => log.error({ err: e }, 'request failed'),
      metrics: options.metrics,
      kind: 'municipal',
      // Ready only while the database answers: one page of one record, bounded in time.
      readiness: async () => ({
        database: await withinMs(options.readinessTimeoutMs ?? 2000, () =>
          store.credentialPage({ municipalities: null, after: null, first: 1 }),
        ),
        ...(options.reloads ? { reload: options.reloads.readiness() } : {}),
      }),
    },
  );
  listening = new URL(running.url).host;
  dispatcher?.start();
  return {
    ...running,
    credentialsUrl: `${running.url}/credentials`,
    workforceUrl: `${running.url}/workforce`,
    alerts: dispatcher,
    checkpoint: checkpointer.checkpoint,
    flushRefusals: () => refusals.flush(true),
    async close() {
      await dispatcher?.stop();
      checkpointer.stop();
      await running.close();
      await refusals.stop().catch(() => undefined);
      await Promise.all([credentials.stop(), workforce.stop()]);
    },
    async drain(graceMs) {
      await dispatcher?.stop();
      checkpointer.stop();
      const drained = await running.drain(graceMs);
      await refusals.stop().catch(() => undefined);
      await Promise.all([credentials.stop(), workforce.stop()]);
      return drained;
    },
  };
}
