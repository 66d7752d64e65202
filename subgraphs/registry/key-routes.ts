// The registry's routes for members' keys: the signed directory, a member publishing or retiring its own keys,
// and a municipality's audit checkpoint to witness.
import type { PublicKeyOf } from '../../common/audit-checkpoint';
import type { Route } from '../../common/http';
import { sendJson } from '../../common/http';
import { type DirectoryDocument, signDirectory } from '../../common/key-directory';
import type { Logger } from '../../common/logger';
import type { MemberKeyring } from '../../common/member-keys';
import type { SignedRoute } from '../../common/signed-route';
import { CODES } from '../../schema/errors';
import type { AuditWitness } from './modules/audit-witness';
import { keyProblem, type MemberKeyStore } from './modules/member-keys';

/** The directory, as a compact JWS signed with the registry's current key. */
export function directoryRoute(
  keyring: MemberKeyring,
  document: () => Promise<DirectoryDocument>,
): SignedRoute {
  return async (_req, res) => {
    const jws = await signDirectory(keyring.current, await document());
    res.statusCode = 200;
    res.setHeader('content-type', 'application/jose');
    res.setHeader('cache-control', 'no-store');
    res.end(jws);
  };
}

/** Where anyone reads the directory's keys: the same signed document without the members' addresses. */
export const PUBLIC_DIRECTORY_PATH = '/public-directory';

/**
 * The directory of members' keys for anyone who checks what members signed (an employer's
 * attestation, offline): signed like the members' copy, with the internal addresses left out. It is
 * signed again at most once per `ttlMs` (the members' own cache time), so callers cannot make the
 * registry read and sign on every request.
 */
export function publicDirectoryRoute(
  keyring: MemberKeyring,
  document: () => Promise<DirectoryDocument>,
  ttlMs: number,
  now: () => number,
): Route {
  let signed: { jws: Promise<string>; at: number } | undefined;
  return async (_req, res) => {
    const t = now();
    if (!signed || t - signed.at >= ttlMs) {
      const jws = document().then((doc) => signDirectory(keyring.current, { ...doc, addresses: [] }));
      signed = { jws, at: t };
      // A failed read is not kept: the next request tries again.
      jws.catch(() => {
        if (signed?.jws === jws) signed = undefined;
      });
    }
    const jws = await signed.jws;
    res.statusCode = 200;
    res.setHeader('content-type', 'application/jose');
    res.setHeader('cache-control', `public, max-age=${Math.floor(ttlMs / 1000)}`);
    res.end(jws);
  };
}

const refuse = (res: Parameters<Route>[1], message: string) =>
  sendJson(res, 400, { errors: [{ message, extensions: { code: CODES.BAD_USER_INPUT } }] });

/**
 * A member's own key changes, signed with one of its keys that the directory lists:
 * `{ "publish": <public JWK> }` lists its next key; `{ "retire": "<kid>" }` ends one of its keys.
 * A member acts for itself only: the members the signing key speaks for, in that key's role.
 */
export function keysRoute(
  keys: MemberKeyStore,
  onChange: () => void,
  /** A retired key stays valid this long, so that calls it signed just before the switch still pass. */
  retireGraceMs: number,
  now: () => number,
): SignedRoute {
  return async (_req, res, body, signer) => {
    let change: { publish?: Record<string, unknown>; retire?: string };
    try {
      change = JSON.parse(body) as typeof change;
    } catch {
      return refuse(res, 'Expected a JSON body { "publish": <JWK> } or { "retire": "<kid>" }');
    }
    if (change.publish && typeof change.publish === 'object') {
      const admitted = signer.members.map((member) => ({
        member,
        role: signer.role,
        jwk: change.publish as never,
      }));
      const problem = admitted.map(keyProblem).find((p) => p !== null);
      if (problem) return refuse(res, `Key refused: ${problem}`);
      await keys.admit(admitted);
    } else if (typeof change.retire === 'string') {
      if (change.retire === signer.kid)
        return refuse(res, 'A key cannot retire itself; sign with the next key');
      const at = new Date(now() + retireGraceMs);
      for (const member of signer.members) await keys.retire(member, change.retire, at);
    } else {
      return refuse(res, 'Expected a JSON body { "publish": <JWK> } or { "retire": "<kid>" }');
    }
    onChange();
    sendJson(res, 200, { ok: true });
  };
}

/**
 * A municipality's audit checkpoint, `{ "checkpoint": "<its JWS>" }`, in a call signed with its own key:
 * answered `{ "witness": "<the registry's JWS>" }`, or refused (CHECKPOINT_INVALID) when it does not
 * verify, names another member, or goes back on a checkpoint already witnessed (a history cut short).
 */
export function checkpointsRoute(
  witness: AuditWitness,
  keyOf: PublicKeyOf,
  keyring: MemberKeyring,
  log: Logger,
): SignedRoute {
  return async (_req, res, body, signer) => {
    let checkpoint: unknown;
    try {
      checkpoint = (JSON.parse(body) as { checkpoint?: unknown }).checkpoint;
    } catch {
      checkpoint = undefined;
    }
    if (typeof checkpoint !== 'string')
      return refuse(res, 'Expected a JSON body { "checkpoint": "<compact JWS>" }');
    const outcome =
      signer.role === 'municipality'
        ? await witness.witness(checkpoint, signer.members, keyOf, keyring.current)
        : {
            ok: false as const,
            problem: `only a municipality's audit chain is witnessed, not a ${signer.role}'s`,
          };
    if (!outcome.ok) {
      log.warn(
        { members: signer.members, problem: outcome.problem },
        'refused to witness an audit checkpoint',
      );
      return sendJson(res, 409, {
        errors: [
          {
            message: `Checkpoint refused: ${outcome.problem}`,
            extensions: { code: CODES.CHECKPOINT_INVALID },
          },
        ],
      });
    }
    sendJson(res, 200, { witness: outcome.witness });
  };
}
