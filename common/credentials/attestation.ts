// The attestation an employer keeps: the owner's signed statement of a check, countersigned by the registry over the recognition.
import type { KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import type { MemberRole, SignerKey } from '../key-directory';
import type { MemberKey } from '../member-keys';

/** `typ` of the checking member's statement (a compact JWS). */
export const STATEMENT_TYPE = 'crossgate-attestation+jws';
/** `typ` of the registry's countersignature, whose payload carries the statement: the attestation. */
export const ATTESTATION_TYPE = 'crossgate-countersigned-attestation+jws';

/** What the member that checked a credential states, in its own words and under its own key. */
export interface AttestedCheck {
  /** How the credential was checked: its id and printed code at the owner, or a presented VC at the gateway. */
  method: 'verifyCredential' | 'verifyPresentation';
  /** The verification's answer id. */
  verification: string;
  /** The credential's global id; its prefix is the issuing (owning) municipality. */
  credential: string;
  /** The issuing municipality. */
  issuer: string;
  valid: boolean;
  /** The credential's status on the day of the check. */
  status: string | null;
  /** Where the holder would work. */
  destination: string;
  /** The verifier: the subject of the caller's token. */
  verifier: string;
  /** The instant of the check, ISO 8601. */
  checkedAt: string;
}

/** The recognition outcome the registry countersigns, as it answered it. */
export interface AttestedRecognition {
  outcome: string;
  reason: string | null;
  measures: { kind: string; months: number | null; hours: number | null; level: string | null }[];
  agreement: string | null;
  clause: string | null;
  destination: string;
  /** The date the recognition is for. */
  at: string;
}

/** The registry's payload: the statement itself (so the attestation is one string), and what it adds. */
export interface CountersignedPayload {
  statement: string;
  recognition: AttestedRecognition | null;
  countersignedAt: string;
}

const encoder = new TextEncoder();

function signJson(key: MemberKey, typ: string, payload: unknown): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ })
    .sign(key.privateKey);
}

/** The checking member's statement, signed with its current key. */
export function signStatement(key: MemberKey, check: AttestedCheck): Promise<string> {
  return signJson(key, STATEMENT_TYPE, check);
}

/** The registry's countersignature over a statement and the recognition it answered. */
export function countersign(
  key: MemberKey,
  statement: string,
  recognition: AttestedRecognition | null,
  countersignedAt: string,
): Promise<string> {
  const payload: CountersignedPayload = { statement, recognition, countersignedAt };
  return signJson(key, ATTESTATION_TYPE, payload);
}

/** Why an attestation does not hold; each names one check. */
export type AttestationFailure =
  | 'MALFORMED'
  | 'COUNTERSIGNATURE_MISSING'
  | 'UNKNOWN_KEY'
  | 'WRONG_SIGNER'
  | 'SIGNATURE_MISMATCH'
  | 'INCONSISTENT';

export type AttestationResult =
  | {
      ok: true;
      check: AttestedCheck;
      recognition: AttestedRecognition | null;
      countersignedAt: string;
      signers: { statement: string; countersignature: string };
    }
  | { ok: false; failure: AttestationFailure; reason: string };

/** Finds a key listed in the registry's directory and valid at an instant (ms). */
export type AttestationKeys = (kid: string, at: number) => Promise<SignerKey | null>;

class Refused extends Error {
  constructor(
    readonly failure: AttestationFailure,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Each of the three parts must be base64url in its one canonical spelling: a changed character in
 * the unused bits of a last group would otherwise decode to the same bytes and still verify.
 */
function requireCanonical(jws: string, what: string): void {
  const parts = jws.split('.');
  const canonical =
    parts.length === 3 &&
    parts.every((p) => p.length > 0 && Buffer.from(p, 'base64url').toString('base64url') === p);
  if (!canonical) throw new Refused('MALFORMED', `the ${what} is not a compact JWS`);
}

function headerOf(jws: string, what: string) {
  try {
    return decodeProtectedHeader(jws);
  } catch {
    throw new Refused('MALFORMED', `the ${what} has no readable header`);
  }
}

async function verifiedPayload(jws: string, what: string, key: KeyObject): Promise<Record<string, unknown>> {
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, key, { algorithms: ['EdDSA'] }));
  } catch {
    const broken = what === 'statement' ? "the statement's signature" : `the ${what}`;
    throw new Refused('SIGNATURE_MISMATCH', `${broken} does not hold: it was changed or forged`);
  }
  try {
    const value = JSON.parse(new TextDecoder().decode(payload)) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the refusal below.
  }
  throw new Refused('MALFORMED', `the ${what}'s payload is not a JSON object`);
}

/** The signing key of a part: listed in the directory, in `role`, for `member`, and valid at `at`. */
async function keyOf(
  keys: AttestationKeys,
  kid: unknown,
  at: number,
  what: string,
  role: MemberRole,
  member: string | null,
): Promise<SignerKey> {
  if (typeof kid !== 'string' || kid === '') throw new Refused('MALFORMED', `the ${what} names no key`);
  if (!Number.isFinite(at)) throw new Refused('MALFORMED', `the ${what} has no valid time`);
  const key = await keys(kid, at);
  if (!key) {
    throw new Refused(
      'UNKNOWN_KEY',
      `the ${what} is signed by key ${kid}, which the directory does not list as valid at ${new Date(at).toISOString()}`,
    );
  }
  if (key.role !== role || (member !== null && !key.members.includes(member))) {
    const whose = `${key.role} ${key.members.join('+')}`;
    const expected = member ? `${role} ${member}` : role;
    throw new Refused('WRONG_SIGNER', `the ${what} is signed by the key of ${whose}, not of ${expected}`);
  }
  return key;
}

const text = (v: unknown) => (typeof v === 'string' ? v : null);

function checkOf(p: Record<string, unknown>): AttestedCheck {
  const method = p.method;
  const fields = ['verification', 'credential', 'issuer', 'destination', 'verifier', 'checkedAt'] as const;
  if (
    (method !== 'verifyCredential' && method !== 'verifyPresentation') ||
    typeof p.valid !== 'boolean' ||
    fields.some((f) => typeof p[f] !== 'string') ||
    (p.status !== null && typeof p.status !== 'string')
  ) {
    throw new Refused('MALFORMED', 'the statement lacks one of the attested fields');
  }
  return p as unknown as AttestedCheck;
}

/**
 * The statement verified: signed by the credential's owner (verifyCredential) or by the gateway
 * (verifyPresentation, where no owner is asked), with a key the directory lists as valid at the
 * time of the check.
 */
async function verifiedStatement(statement: string, keys: AttestationKeys) {
  requireCanonical(statement, 'statement');
  const header = headerOf(statement, 'statement');
  if (header.typ !== STATEMENT_TYPE || header.alg !== 'EdDSA') {
    throw new Refused('MALFORMED', `the statement is not a JWS of type ${STATEMENT_TYPE}`);
  }
  const claimed = checkOf(unverifiedPayload(statement, 'statement'));
  const byOwner = claimed.method === 'verifyCredential';
  const key = await keyOf(
    keys,
    header.kid,
    Date.parse(claimed.checkedAt),
    'statement',
    byOwner ? 'municipality' : 'gateway',
    byOwner ? claimed.issuer : null,
  );
  const check = checkOf(await verifiedPayload(statement, 'statement', key.publicKey));
  if (!check.credential.startsWith(`${check.issuer}:`)) {
    throw new Refused('INCONSISTENT', `the credential ${check.credential} is not issued by ${check.issuer}`);
  }
  return { check, kid: key.kid };
}

/** A payload read before its signature is checked: only to learn which key and time to check it with. */
function unverifiedPayload(jws: string, what: string): Record<string, unknown> {
  try {
    const [, body = ''] = jws.split('.');
    const value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the refusal below.
  }
  throw new Refused('MALFORMED', `the ${what} has no readable payload`);
}

/**
 * Checks an attestation against a directory of members' keys: the registry's countersignature, then
 * the statement it carries, signed by the credential's owner (verifyCredential) or the gateway
 * (verifyPresentation, where no owner is asked), each key valid when it signed.
 */
export async function openAttestation(input: string, keys: AttestationKeys): Promise<AttestationResult> {
  try {
    const attestation = input.trim();
    requireCanonical(attestation, 'attestation');
    const outer = headerOf(attestation, 'attestation');
    if (outer.typ === STATEMENT_TYPE) {
      throw new Refused(
        'COUNTERSIGNATURE_MISSING',
        "this is a member's statement without the registry's countersignature over the recognition",
      );
    }
    if (outer.typ !== ATTESTATION_TYPE || outer.alg !== 'EdDSA') {
      throw new Refused('MALFORMED', `expected a JWS of type ${ATTESTATION_TYPE} signed with EdDSA`);
    }
    // Read unverified only to learn when it was countersigned: the key is then checked as valid at
    // that time, and the payload verified with it before anything in it is believed.
    const claimedAt = Date.parse(
      String(unverifiedPayload(attestation, "registry's countersignature").countersignedAt),
    );
    const registryKey = await keyOf(
      keys,
      outer.kid,
      claimedAt,
      "registry's countersignature",
      'registry',
      null,
    );
    const payload = await verifiedPayload(attestation, "registry's countersignature", registryKey.publicKey);
    const statement = text(payload.statement);
    const countersignedAt = text(payload.countersignedAt);
    if (!statement || !countersignedAt) {
      throw new Refused('MALFORMED', "the registry's countersignature carries no statement");
    }
    const { check, kid } = await verifiedStatement(statement, keys);
    const recognition = (payload.recognition ?? null) as AttestedRecognition | null;
    if (recognition !== null && recognition.destination !== check.destination) {
      throw new Refused(
        'INCONSISTENT',
        `the recognition is for ${recognition.destination}, the check for ${check.destination}`,
      );
    }
    if (check.valid && recognition === null) {
      throw new Refused('INCONSISTENT', 'a valid check is countersigned without its recognition');
    }
    return {
      ok: true,
      check,
      recognition,
      countersignedAt,
      signers: { statement: kid, countersignature: registryKey.kid },
    };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, failure: e.failure, reason: e.message };
    throw e;
  }
}

/** A statement checked alone: the registry checks one before it countersigns it. */
export async function checkStatement(
  statement: string,
  keys: AttestationKeys,
): Promise<{ ok: true; check: AttestedCheck } | { ok: false; failure: AttestationFailure; reason: string }> {
  try {
    return { ok: true, check: (await verifiedStatement(statement, keys)).check };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, failure: e.failure, reason: e.message };
    throw e;
  }
}
