// One municipality's subgraph server: serves `credentials` and `workforce` over its own store.
import { graphqlRoute, type RunningServer, serveRoutes } from '../../common/http';
import { EVENTS_PATH } from '../../common/key-directory';
import { withinMs } from '../../common/lifecycle';
import { type Logger, silentLogger } from '../../common/logger';
import type { ProcessMetrics } from '../../common/metrics';
import type { ReloadJournal } from '../../common/reload';
import { countedAppends } from '../../common/trust-metrics';
import { AlertDispatcher, type AlertDispatcherOptions } from './alerts/dispatcher';
import { alertInbox, eventsRoute } from './alerts/receiver';
import { type Checkpointer, createCheckpointer } from './audit/checkpoints';
import { RefusalTally } from './audit/refusals';
import { municipalFrontDoor } from './front-door';
import type { Issuing, IssuingSettings } from './issuing/issuer';
import { issuerRoutes } from './issuing/routes';
import { invalidatingLists, StatusListPublisher } from './issuing/status-lists';
import type { MunicipalTrust } from './municipal-trust';
import { requestContext } from './request-context';
import type { MunicipalStore } from './store';
import { startSubgraphServers } from './subgraph-servers';

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

export const systemToday = () => new Date().toISOString().slice(0, 10);

export async function startMunicipalServer(options: MunicipalServerOptions): Promise<MunicipalServer> {
  const log = options.log ?? silentLogger;
  const trust: MunicipalTrust = {
    ...options.trust,
    audit: countedAppends(options.trust.audit, options.metrics),
  };
  /** Known once the server listens: a call signed for another address (another member) is refused. */
  let listening = '';
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
  const servers = await startSubgraphServers(log, trust, options.metrics);
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
  const door = municipalFrontDoor({
    trust,
    municipalities: store.municipalities,
    listening: () => listening,
    refusals,
    metrics: options.metrics,
    log,
  });
  const context = requestContext({
    store,
    trust,
    callerOf: door.callerOf,
    today: options.today ?? systemToday,
    now: options.now,
    issuing,
    alerts: options.alerts ? alertInbox(options.alerts.db) : undefined,
    log,
  });
  const running = await serveRoutes(
    {
      '/credentials': door.fromGateway('/credentials', graphqlRoute(servers.credentials, context)),
      '/workforce': door.fromGateway('/workforce', graphqlRoute(servers.workforce, context)),
      ...(issuing && lists ? issuerRoutes(issuing, lists, store.municipalities) : {}),
      ...(options.alerts
        ? {
            [EVENTS_PATH]: door.fromMembers(
              EVENTS_PATH,
              eventsRoute(options.alerts.db, store.municipalities, () => new Date()),
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
  /** Stops what runs in the background, lets the listener go its way, then writes the last refusals. */
  const stopping = async <T>(listener: () => Promise<T>): Promise<T> => {
    await dispatcher?.stop();
    checkpointer.stop();
    const outcome = await listener();
    await refusals.stop().catch(() => undefined);
    await Promise.all([servers.credentials.stop(), servers.workforce.stop()]);
    return outcome;
  };
  return {
    ...running,
    credentialsUrl: `${running.url}/credentials`,
    workforceUrl: `${running.url}/workforce`,
    alerts: dispatcher,
    checkpoint: checkpointer.checkpoint,
    flushRefusals: () => refusals.flush(true),
    close: () => stopping(() => running.close()),
    drain: (graceMs) => stopping(() => running.drain(graceMs)),
  };
}
