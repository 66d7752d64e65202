// Calls between members signed with HTTP Message Signatures (RFC 9421) by the caller's own key, and
// their check by the receiver against the registry's directory, the time window and the nonces seen;
// and the receiver's answer, signed with its own key and bound to the call's signature.
import { createHash, randomUUID, sign as signBytes, verify as verifyBytes } from 'node:crypto';
import { httpbis } from 'http-message-signatures';
import {
  type InnerList,
  type Item,
  isInnerList,
  parseDictionary,
  parseItem,
  serializeList,
} from 'structured-headers';
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

/**
 * The label of every signature made here (RFC 9421 section 4); a receiver reads whichever label a
 * message carries.
 */
const LABEL = 'sig';

/** Component identifiers parsed once per set of components (a handful of sets are ever signed). */
const parsedComponents = new Map<string, Item[]>();
function componentItems(ids: readonly string[]): Item[] {
  const key = ids.join(' ');
  let items = parsedComponents.get(key);
  if (!items) {
    items = ids.map((id) => parseItem(id));
    parsedComponents.set(key, items);
  }
  return items;
}

/** A field's value in a signature base: trimmed, line folds turned to spaces (RFC 9421 section 2.1). */
const fieldValue = (value: string) => value.trim().replace(/\n\s*/gm, ' ');

/**
 * Signs `components` (each a serialized component identifier and its value) under `params`, and
 * returns the Signature-Input and Signature fields. The signature base is the one of RFC 9421
 * section 2.5, one line per component and the signature parameters last; the parameters are
 * serialized by the structured-fields library. Receivers check with http-message-signatures, and
 * tests/unit/signature-format.test.ts holds the two to the same bytes.
 */
function sign(
  key: MemberKey,
  components: readonly (readonly [id: string, value: string])[],
  params: Map<string, string | number>,
): { 'Signature-Input': string; Signature: string } {
  const input = serializeList([[componentItems(components.map(([id]) => id)), params] as never]);
  let base = '';
  for (const [id, value] of components) base += `${id}: ${value}\n`;
  base += `"@signature-params": ${input}`;
  const signature = signBytes(null, Buffer.from(base), key.privateKey);
  return { 'Signature-Input': `${LABEL}=${input}`, Signature: `${LABEL}=:${signature.toString('base64')}:` };
}

/** A nonce of 122 random bits, from Node's batched entropy (a synchronous read per call cost more). */
const newNonce = () => randomUUID().replaceAll('-', '');

/** The headers of a call signed by `key`: the given ones plus Content-Digest, Signature-Input and Signature. */
export function signCall(key: MemberKey, call: OutgoingCall, now: number): Record<string, string> {
  const headers: Record<string, string> = { ...call.headers, 'content-digest': contentDigest(call.body) };
  const components: [string, string][] = [
    ['"@method"', call.method.toUpperCase()],
    ['"@target-uri"', call.url],
    ['"content-digest"', headers['content-digest'] as string],
  ];
  for (const name of COVERED_WHEN_SENT) {
    const value = headers[name];
    if (value !== undefined) components.push([`"${name}"`, fieldValue(value)]);
  }
  const params = new Map<string, string | number>([
    ['created', Math.floor(now / 1000)],
    ['nonce', newNonce()],
    ['keyid', key.kid],
    ['alg', ALGORITHM],
  ]);
  return { ...headers, ...sign(key, components, params) };
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
  const digest = contentDigest(answer.body);
  const params = new Map<string, string | number>([
    ['created', Math.floor(now / 1000)],
    ['keyid', key.kid],
    ['alg', ALGORITHM],
    ['tag', ANSWER_TAG],
  ]);
  const components: [string, string][] = [
    [ANSWER_COMPONENTS[0], String(answer.status)],
    [ANSWER_COMPONENTS[1], digest],
    [ANSWER_COMPONENTS[2], fieldValue(requestSignature)],
  ];
  return { 'content-digest': digest, ...sign(key, components, params) };
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
