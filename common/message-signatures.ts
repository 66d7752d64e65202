// Calls between members signed with HTTP Message Signatures (RFC 9421) by the caller's own key, and
// their check by the receiver against the registry's directory, the time window and the nonces seen;
// and the receiver's answer, signed with its own key and bound to the call's signature.
import { createHash, randomBytes, sign as signBytes, verify as verifyBytes } from 'node:crypto';
import { httpbis } from 'http-message-signatures';
import { type InnerList, isInnerList, parseDictionary, parseItem, serializeList } from 'structured-headers';
import { PURPOSE_HEADER } from '../schema/caller';
import type { KeyLookup, MemberRole, SignerKey } from './key-directory';
import type { MemberKey } from './member-keys';
import type { NonceCache } from './nonces';

/** What every signature covers: the method, the full target URI (receiver included), the body's digest. */
export const SIGNED_COMPONENTS = ['@method', '@target-uri', 'content-digest'] as const;
/**
 * Covered whenever the call carries them: the end user's token (the owner checks the caller with it)
 * and the caller's stated purpose. Neither can be added to, changed in or removed from a signed call.
 */
export const COVERED_WHEN_SENT = ['authorization', PURPOSE_HEADER] as const;
const SIGNATURE_PARAMS = ['created', 'nonce', 'keyid', 'alg'];
const ALGORITHM = 'ed25519';

/** The components a call with these headers (lower-case names) must have signed. */
function coveredComponents(headers: Record<string, string | undefined>): string[] {
  return [...SIGNED_COMPONENTS, ...COVERED_WHEN_SENT.filter((name) => headers[name] !== undefined)];
}

/** RFC 9530 Content-Digest of a body, sha-256. */
export function contentDigest(body: string | Buffer): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

export interface OutgoingCall {
  method: string;
  url: string;
  body: string;
  /** Headers sent besides the signature (lower-case names); the token and purpose are covered when present. */
  headers: Record<string, string>;
}

/** The headers of a call signed by `key`: the given ones plus Content-Digest, Signature-Input and Signature. */
export function signCall(key: MemberKey, call: OutgoingCall, now: number): Record<string, string> {
  const headers: Record<string, string> = { ...call.headers, 'content-digest': contentDigest(call.body) };
  const message = { method: call.method, url: call.url, headers };
  const params = httpbis.createSigningParameters({
    key: { id: key.kid, alg: ALGORITHM, sign: async () => Buffer.alloc(0) },
    params: SIGNATURE_PARAMS,
    paramValues: { created: new Date(now), nonce: randomBytes(16).toString('base64url') },
  });
  const base = httpbis.createSignatureBase({ fields: coveredComponents(headers) }, message);
  const input = serializeList([[base.map(([item]) => parseItem(item)), params as never]]);
  base.push(['"@signature-params"', [input]]);
  const signature = signBytes(null, Buffer.from(httpbis.formatSignatureBase(base)), key.privateKey);
  return httpbis.augmentHeaders(headers, signature, input) as Record<string, string>;
}

/** Why a call was refused; each is audited and counted under its name. */
export type CallRefusal =
  | 'missing'
  | 'malformed'
  | 'stale'
  | 'unknown-key'
  | 'forged'
  | 'digest-mismatch'
  | 'wrong-target'
  | 'wrong-role'
  | 'replayed'
  | 'directory-unavailable';

export type CallOutcome = { ok: true; signer: SignerKey } | { ok: false; reason: CallRefusal };

export interface IncomingCall {
  method: string;
  /** Path and query as received. */
  path: string;
  body: string;
  header: (name: string) => string | undefined;
}

export type CallVerifier = (call: IncomingCall) => Promise<CallOutcome>;

export interface CallVerifierOptions {
  directory: KeyLookup;
  /** The roles whose keys may call this route (a municipality's data: the gateway only). */
  roles: readonly MemberRole[];
  /** The authorities (`host:port`) this receiver answers at; a call signed for another is refused. */
  ownAuthorities: () => Promise<readonly string[]> | readonly string[];
  /** How far a signature's creation time may be from this receiver's clock, either way. */
  windowMs: number;
  nonces: NonceCache;
  now?: () => number;
}

function headerMap(call: IncomingCall): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['signature', 'signature-input', 'content-digest', ...COVERED_WHEN_SENT]) {
    const v = call.header(name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export function createCallVerifier(options: CallVerifierOptions): CallVerifier {
  const now = options.now ?? Date.now;
  return async (call) => {
    const headers = headerMap(call);
    if (!headers.signature || !headers['signature-input'] || !headers['content-digest']) {
      return { ok: false, reason: 'missing' };
    }
    if (headers['content-digest'] !== contentDigest(call.body))
      return { ok: false, reason: 'digest-mismatch' };
    const authority = call.header('host') ?? '';
    if (!(await options.ownAuthorities()).includes(authority)) return { ok: false, reason: 'wrong-target' };
    const t = now();
    let refusal: CallRefusal | undefined;
    let signer: SignerKey | null = null;
    let nonce = '';
    let verified: boolean | null;
    try {
      verified = await httpbis.verifyMessage(
        {
          requiredParams: ['created', 'nonce', 'keyid'],
          requiredFields: coveredComponents(headers),
          notAfter: Math.floor((t + options.windowMs) / 1000),
          keyLookup: async (params) => {
            const created = params.created instanceof Date ? params.created.getTime() : Number.NaN;
            if (!(Math.abs(t - created) <= options.windowMs)) {
              refusal = 'stale';
              return null;
            }
            nonce = String(params.nonce ?? '');
            try {
              signer = await options.directory.signerKey(String(params.keyid ?? ''), t);
            } catch {
              refusal = 'directory-unavailable';
              return null;
            }
            if (!signer) {
              refusal = 'unknown-key';
              return null;
            }
            const key = signer.publicKey;
            return {
              id: signer.kid,
              algs: [ALGORITHM],
              verify: async (data, signature) => verifyBytes(null, data, key, signature),
            };
          },
        },
        { method: call.method, url: `http://${authority}${call.path}`, headers },
      );
    } catch {
      return { ok: false, reason: refusal ?? 'malformed' };
    }
    if (refusal) return { ok: false, reason: refusal };
    if (verified !== true || !signer) return { ok: false, reason: 'forged' };
    const found: SignerKey = signer;
    if (!options.roles.includes(found.role)) return { ok: false, reason: 'wrong-role' };
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return { ok: false, reason: 'malformed' };
    // Only an authentic call may spend a nonce; it is kept as long as its creation time is fresh.
    if (!(await options.nonces.remember(`${found.kid}:${nonce}`, 2 * options.windowMs))) {
      return { ok: false, reason: 'replayed' };
    }
    return { ok: true, signer: found };
  };
}

/**
 * What an answer's signature covers: its status, its body's digest, and the signature of the call it
 * answers (RFC 9421 section 2.4), so that it cannot be taken for the answer to any other call.
 */
export const ANSWER_COMPONENTS = ['"@status"', '"content-digest"', '"signature";req'] as const;
const ANSWER_TAG = 'crossgate-answer';

/** The headers that sign an answer with `key`: Content-Digest, Signature-Input and Signature. */
export function signAnswer(
  key: MemberKey,
  answer: { status: number; body: string | Buffer },
  requestSignature: string,
  now: number,
): Record<string, string> {
  const headers: Record<string, string> = { 'content-digest': contentDigest(answer.body) };
  const base = httpbis.createSignatureBase(
    { fields: [...ANSWER_COMPONENTS] },
    {
      status: answer.status,
      headers,
    },
    { method: 'POST', url: 'http://answer.invalid/', headers: { signature: requestSignature } },
  );
  const params = httpbis.createSigningParameters({
    key: { id: key.kid, alg: ALGORITHM, sign: async () => Buffer.alloc(0) },
    params: ['created', 'keyid', 'alg', 'tag'],
    paramValues: { created: new Date(now), tag: ANSWER_TAG } as never,
  });
  const input = serializeList([[base.map(([item]) => parseItem(item)), params as never]]);
  base.push(['"@signature-params"', [input]]);
  const signature = signBytes(null, Buffer.from(httpbis.formatSignatureBase(base)), key.privateKey);
  return httpbis.augmentHeaders(headers, signature, input) as Record<string, string>;
}

/** Why an answer was not taken; each is counted under its name. */
export type AnswerRefusal =
  | 'unsigned'
  | 'malformed'
  | 'digest-mismatch'
  | 'stale'
  | 'unknown-key'
  | 'wrong-signer'
  | 'forged'
  | 'directory-unavailable';

export interface ReceivedAnswer {
  status: number;
  body: string;
  header: (name: string) => string | undefined;
}

export interface AnswerCheckOptions {
  directory: KeyLookup;
  /** How far the answer signature's creation time may be from this clock, either way. */
  windowMs: number;
  now?: () => number;
}

/**
 * Checks that an answer was signed by a key of a municipality among `members` (all of them, for a
 * shard that holds several), over this status and body, in answer to the call signed `requestSignature`.
 */
export type AnswerCheck = (
  answer: ReceivedAnswer,
  requestSignature: string,
  members: readonly string[],
) => Promise<AnswerRefusal | null>;

export function createAnswerCheck(options: AnswerCheckOptions): AnswerCheck {
  const now = options.now ?? Date.now;
  const expected = serializeList([[ANSWER_COMPONENTS.map((c) => parseItem(c)), new Map()]]);
  return async (answer, requestSignature, members) => {
    const signature = answer.header('signature');
    const input = answer.header('signature-input');
    const digest = answer.header('content-digest');
    if (!signature || !input || !digest) return 'unsigned';
    if (digest !== contentDigest(answer.body)) return 'digest-mismatch';
    let entries: [string, unknown][];
    try {
      entries = [...parseDictionary(input).entries()];
    } catch {
      return 'malformed';
    }
    const [label, inner] = entries[0] ?? [];
    if (entries.length !== 1 || !label || !isInnerList(inner as never)) return 'malformed';
    const [items, params] = inner as InnerList;
    const covered = serializeList([[items, new Map()]]);
    if (covered !== expected || params.get('tag') !== ANSWER_TAG) return 'malformed';
    const created = Number(params.get('created')) * 1000;
    const t = now();
    if (!(Math.abs(t - created) <= options.windowMs)) return 'stale';
    let signer: SignerKey | null;
    try {
      signer = await options.directory.signerKey(String(params.get('keyid') ?? ''), t);
    } catch {
      return 'directory-unavailable';
    }
    if (!signer) return 'unknown-key';
    if (signer.role !== 'municipality' || !members.every((m) => signer.members.includes(m))) {
      return 'wrong-signer';
    }
    const key = signer.publicKey;
    try {
      const verified = await httpbis.verifyMessage(
        {
          requiredParams: ['created', 'keyid'],
          requiredFields: ['@status', 'content-digest', 'signature'],
          notAfter: Math.floor((t + options.windowMs) / 1000),
          keyLookup: async () => ({
            id: signer.kid,
            algs: [ALGORITHM],
            verify: async (data, sig) => verifyBytes(null, data, key, sig),
          }),
        },
        { status: answer.status, headers: { signature, 'signature-input': input, 'content-digest': digest } },
        { method: 'POST', url: 'http://answer.invalid/', headers: { signature: requestSignature } },
      );
      return verified === true ? null : 'forged';
    } catch {
      return 'forged';
    }
  };
}
