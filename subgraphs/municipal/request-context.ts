// What each request to a municipal server gets: its caller, its own DataLoaders and access log, the
// clocks, and the means to attest a verification with this member's key.
import type { IncomingMessage } from 'node:http';
import { signStatement } from '../../common/credentials/attestation';
import type { Logger } from '../../common/logger';
import { headerOf } from '../../common/signed-route';
import type { Caller } from '../../schema/caller';
import type { AlertInbox } from './alerts/receiver';
import type { MunicipalContext } from './context';
import type { Issuing } from './issuing/issuer';
import { createLoaders } from './loaders';
import type { MunicipalTrust } from './municipal-trust';
import { AccessLog } from './policy/guard';
import type { MunicipalStore } from './store';

export interface RequestContextParts {
  store: MunicipalStore;
  trust: MunicipalTrust;
  /** The caller the front door established for an admitted request. */
  callerOf: (req: IncomingMessage) => Caller | undefined;
  /** Today's date (YYYY-MM-DD). */
  today: () => string;
  /** Clock of writes, when given; the trust clock, then the system clock, otherwise. */
  now?: () => Date;
  issuing?: Issuing;
  alerts?: AlertInbox;
  log: Logger;
}

/** Apollo's context function for both subgraphs of a municipality. */
export function requestContext(
  parts: RequestContextParts,
): (req: IncomingMessage) => Promise<MunicipalContext> {
  const { store, trust } = parts;
  return async (req) => ({
    caller: parts.callerOf(req) ?? (await trust.authenticate(req)),
    requestId: headerOf(req)('x-request-id') ?? '',
    store,
    loaders: createLoaders(store),
    today: parts.today(),
    now: parts.now ?? trust.now ?? (() => new Date()),
    log: parts.log,
    recordErrors: [],
    access: new AccessLog(),
    partnerViews: new Map(),
    audit: trust.audit,
    issuing: parts.issuing,
    attest: (check) =>
      signStatement(trust.keyring.current, {
        ...check,
        checkedAt: new Date((trust.signatureNow ?? Date.now)()).toISOString(),
      }),
    alerts: parts.alerts,
  });
}
