// Who may reach a municipal server: only the regional gateway's signed calls, carrying a caller token
// that verifies, reach GraphQL; only members' signed events reach /events. Every refusal is audited.
import type { IncomingMessage } from 'node:http';
import { type Route, sendJson } from '../../common/http';
import { EVENTS_PATH } from '../../common/key-directory';
import type { Logger } from '../../common/logger';
import { type CallVerifier, createCallVerifier } from '../../common/message-signatures';
import type { ProcessMetrics } from '../../common/metrics';
import {
  headerOf,
  type RefusalHandler,
  type SignedRoute,
  signedOnly,
  signingAnswers,
} from '../../common/signed-route';
import { countedVerifier } from '../../common/trust-metrics';
import type { Caller } from '../../schema/caller';
import { CODES, type ErrorCode } from '../../schema/errors';
import { refusalEntries } from './audit/record';
import type { RefusalTally } from './audit/refusals';
import type { MunicipalTrust } from './municipal-trust';

export interface FrontDoorParts {
  trust: MunicipalTrust;
  /** The municipalities this server holds records of. */
  municipalities: readonly string[];
  /** This server's own address, known once it listens: a call signed for another address is refused. */
  listening: () => string;
  refusals: RefusalTally;
  metrics?: ProcessMetrics;
  log: Logger;
}

export interface MunicipalFrontDoor {
  /** The caller of each admitted request, as this server established it from the token. */
  callerOf(req: IncomingMessage): Caller | undefined;
  /** A GraphQL route reached only by the gateway's signed calls with a verified caller; its answers signed. */
  fromGateway(path: string, route: Route): Route;
  /** A route reached only by calls signed by another member of the region. */
  fromMembers(path: string, route: SignedRoute): Route;
}

/** Checks calls signed by a member holding `role` and addressed to this server. */
function callVerifier(parts: FrontDoorParts, role: 'gateway' | 'municipality'): CallVerifier {
  const { trust } = parts;
  return createCallVerifier({
    directory: trust.directory,
    roles: [role],
    ownAuthorities: async () => [
      parts.listening(),
      ...(await trust.directory.authoritiesOf(parts.municipalities)),
    ],
    windowMs: trust.windowMs,
    nonces: trust.nonces,
    now: trust.signatureNow,
  });
}

/**
 * Refused calls are counted per source address (the connection's peer, not a header) and interval
 * into the audit log, and answered 401 with the code of a bad signature.
 */
function refusalHandler(parts: FrontDoorParts, municipality: string): RefusalHandler {
  return async (req, res, { path, reason }) => {
    parts.log.debug({ path, reason, remote: req.socket.remoteAddress }, 'refused an unsigned request');
    parts.refusals.note(req.socket.remoteAddress, path, reason);
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
}

export function municipalFrontDoor(parts: FrontDoorParts): MunicipalFrontDoor {
  const { trust, log } = parts;
  const municipality = parts.municipalities.join('+');
  const callers = new WeakMap<IncomingMessage, Caller>();
  const refuse = refusalHandler(parts, municipality);
  const fromGatewayOnly = countedVerifier(trust.verifier ?? callVerifier(parts, 'gateway'), parts.metrics);
  // Events are taken only from other members, each signing with its own key.
  const fromMembersOnly = countedVerifier(callVerifier(parts, 'municipality'), parts.metrics);
  const signatureNow = trust.signatureNow ?? Date.now;
  const audited = async (req: IncomingMessage, path: string, reason: string) => {
    await trust.audit
      .append(refusalEntries(parts.municipalities, headerOf(req), path, reason, trust))
      .catch((e) => log.error({ err: e }, 'could not audit a refused request'));
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
  return {
    callerOf: (req) => callers.get(req),
    fromGateway: (path, route) =>
      signingAnswers(
        trust.keyring,
        signatureNow,
        signedOnly(fromGatewayOnly, path, identified(path, route), refuse),
      ),
    fromMembers: (path, route) => signedOnly(fromMembersOnly, path, route, refuse),
  };
}
