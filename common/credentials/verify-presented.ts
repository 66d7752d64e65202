// Checks a presented credential (VC-JWT or SD-JWT VC) offline-capable: issuer key, disclosures,
// validity dates and status lists, each failure an outcome with a reason code, never a throw.
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JWK } from 'jose';
import { type AttestedQualification, CREDENTIAL_ID_PREFIX } from './achievement';
import { sdHasher } from './sign';
import { bitAt, type StatusPurpose } from './status-list';

export const PRESENTATION_FAILURES = [
  'MALFORMED',
  'UNKNOWN_ISSUER',
  'SIGNATURE_MISMATCH',
  'DISCLOSURE_INVALID',
  'NOT_YET_VALID',
  'EXPIRED',
  'REVOKED',
  'SUSPENDED',
  'STATUS_UNAVAILABLE',
] as const;
export type PresentationFailure = (typeof PRESENTATION_FAILURES)[number];

/** What a verified presentation tells: no more than the holder chose to show. */
export interface PresentedFacts {
  format: 'VC_JWT' | 'SD_JWT_VC';
  credentialId: string;
  municipality: string;
  issuerUrl: string;
  /** Null when the holder did not disclose it. */
  holderName: string | null;
  qualification: AttestedQualification;
  validFrom: string;
  validUntil: string | null;
  statusEntries: { purpose: StatusPurpose; index: number; url: string }[];
}

export type PresentationCheck =
  | { valid: true; facts: PresentedFacts; status: 'ACTIVE' }
  | {
      valid: false;
      failure: PresentationFailure;
      facts: PresentedFacts | null;
      status: 'SUSPENDED' | 'REVOKED' | 'EXPIRED' | null;
    };

export interface PresentationDeps {
  /** The issuer's public keys (its JWKS), or null when the municipality is no member. */
  issuerKeys(municipality: string): Promise<readonly JWK[] | null>;
  /** The verified bits of a status list of that municipality; throws when it cannot be had. */
  statusBits(municipality: string, url: string, purpose: StatusPurpose): Promise<Uint8Array>;
  /** The day checked, YYYY-MM-DD. */
  today: string;
}

// biome-ignore lint/suspicious/noExplicitAny: presented claims are untrusted; every value read is checked.
type Claims = Record<string, any>;

const MAX_PRESENTATION = 64 * 1024;
const ISSUER_PATH = /\/issuers\/([A-Z]{2,8})$/;

class Refused extends Error {
  constructor(readonly failure: PresentationFailure) {
    super(failure);
  }
}

export function municipalityOfIssuer(issuerUrl: unknown): string | null {
  return typeof issuerUrl === 'string' ? (ISSUER_PATH.exec(issuerUrl)?.[1] ?? null) : null;
}

function statusEntriesOf(value: unknown): PresentedFacts['statusEntries'] {
  if (!Array.isArray(value)) throw new Refused('MALFORMED');
  return value.map((e: Record<string, unknown>) => {
    const index = Number(e.statusListIndex);
    if (
      (e.statusPurpose !== 'revocation' && e.statusPurpose !== 'suspension') ||
      !Number.isInteger(index) ||
      typeof e.statusListCredential !== 'string'
    )
      throw new Refused('MALFORMED');
    return { purpose: e.statusPurpose, index, url: e.statusListCredential };
  });
}

const text = (v: unknown) => {
  if (typeof v !== 'string') throw new Refused('MALFORMED');
  return v;
};

function factsOfVc(vc: Claims): PresentedFacts {
  const achievement = vc.credentialSubject?.achievement ?? {};
  const align = (framework: string) =>
    (achievement.alignment ?? []).find((a: { targetFramework?: string }) => a.targetFramework === framework)
      ?.targetCode as string | undefined;
  const issuerUrl = text(vc.issuer?.id ?? vc.issuer);
  const eqf = align('EQF');
  return {
    format: 'VC_JWT',
    credentialId: text(vc.id).replace(CREDENTIAL_ID_PREFIX, ''),
    municipality: municipalityOfIssuer(issuerUrl) ?? '',
    issuerUrl,
    holderName: typeof vc.credentialSubject?.name === 'string' ? vc.credentialSubject.name : null,
    qualification: {
      id: decodeURIComponent(text(achievement.id).split('/qualifications/')[1] ?? ''),
      code: text(achievement.humanCode),
      title: text(achievement.name),
      eqfLevel: eqf === undefined ? null : Number(eqf),
      iscoCode: align('ISCO-08') ?? null,
    },
    validFrom: text(vc.validFrom).slice(0, 10),
    validUntil: typeof vc.validUntil === 'string' ? vc.validUntil.slice(0, 10) : null,
    statusEntries: statusEntriesOf(vc.credentialStatus),
  };
}

function factsOfSdJwt(claims: Claims): PresentedFacts {
  const o = claims.occupation ?? {};
  const issuerUrl = text(claims.iss);
  return {
    format: 'SD_JWT_VC',
    credentialId: text(claims.credential_id),
    municipality: municipalityOfIssuer(issuerUrl) ?? '',
    issuerUrl,
    holderName: typeof claims.name === 'string' ? claims.name : null,
    qualification: {
      id: text(o.qualification_id),
      code: text(o.qualification_code),
      title: text(o.title),
      eqfLevel: typeof o.eqf_level === 'number' ? o.eqf_level : null,
      iscoCode: typeof o.isco_08 === 'string' ? o.isco_08 : null,
    },
    validFrom: text(claims.valid_from),
    validUntil: typeof claims.valid_until === 'string' ? claims.valid_until : null,
    statusEntries: statusEntriesOf(claims.credentialStatus),
  };
}

/** The municipality named by the unverified issuer claim; its keys decide whether that is true. */
function claimedIssuer(presentation: string): string {
  const jws = presentation.split('~')[0] ?? '';
  const [, body] = jws.split('.');
  let claims: Claims;
  try {
    decodeProtectedHeader(jws);
    claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8'));
  } catch {
    throw new Refused('MALFORMED');
  }
  const m = municipalityOfIssuer(claims?.iss ?? claims?.issuer?.id ?? claims?.issuer);
  if (!m) throw new Refused('UNKNOWN_ISSUER');
  return m;
}

/** Every digest the issuer signed, in `_sd` arrays and `{ "...": digest }` array items, recursively. */
function signedDigests(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) {
      const d = (item as Record<string, unknown> | null)?.['...'];
      if (typeof d === 'string') into.add(d);
      else signedDigests(item, into);
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '_sd' && Array.isArray(v)) for (const d of v) typeof d === 'string' && into.add(d);
      else signedDigests(v, into);
    }
  }
  return into;
}

/**
 * SD-JWT (RFC 9901, 7.1): each disclosure must be referenced by a signed digest, once; a changed or
 * foreign disclosure is refused rather than ignored.
 */
function checkDisclosures(signed: string, disclosures: readonly string[]): void {
  const claims = JSON.parse(Buffer.from(signed.split('.')[1] ?? '', 'base64url').toString('utf8'));
  const digests = signedDigests(claims, new Set());
  const seen = new Set<string>();
  for (const d of disclosures) {
    const value = JSON.parse(Buffer.from(d, 'base64url').toString('utf8'));
    signedDigests(value, digests);
  }
  for (const d of disclosures) {
    const digest = Buffer.from(sdHasher(d, 'sha-256')).toString('base64url');
    if (!digests.has(digest) || seen.has(digest)) throw new Refused('DISCLOSURE_INVALID');
    seen.add(digest);
  }
}

async function verifiedFacts(presentation: string, keys: readonly JWK[]): Promise<PresentedFacts> {
  const jwks = createLocalJWKSet({ keys: [...keys] });
  if (!presentation.includes('~')) {
    const { payload } = await compactVerify(presentation, jwks, { algorithms: ['EdDSA'] }).catch(() => {
      throw new Refused('SIGNATURE_MISMATCH');
    });
    return factsOfVc(JSON.parse(new TextDecoder().decode(payload)));
  }
  // The issuer's signature is checked by jose (not the SD-JWT library's own code path).
  const signed = presentation.split('~')[0] ?? '';
  await compactVerify(signed, jwks, { algorithms: ['EdDSA'] }).catch(() => {
    throw new Refused('SIGNATURE_MISMATCH');
  });
  const parts = presentation.split('~');
  // The last part is the key binding JWT, empty when none (no holder binding is issued).
  const disclosures = parts.slice(1, -1);
  try {
    checkDisclosures(signed, disclosures);
  } catch {
    throw new Refused('DISCLOSURE_INVALID');
  }
  // The library resolves the disclosures; the signature is already checked above, and the dates are
  // checked against the verifier's `today` below, so its own clock check is widened away.
  const sdjwt = new SDJwtVcInstance({ hasher: sdHasher, verifier: () => true });
  const result = await sdjwt.verify(presentation, { skewSeconds: 1e10 }).catch(() => {
    throw new Refused('DISCLOSURE_INVALID');
  });
  return factsOfSdJwt(result.payload as Claims);
}

async function statusOf(facts: PresentedFacts, deps: PresentationDeps) {
  for (const purpose of ['revocation', 'suspension'] as const) {
    const entry = facts.statusEntries.find((e) => e.purpose === purpose);
    if (!entry) continue;
    const bits = await deps.statusBits(facts.municipality, entry.url, purpose).catch(() => {
      throw new Refused('STATUS_UNAVAILABLE');
    });
    if (entry.index >= bits.length * 8) throw new Refused('MALFORMED');
    if (bitAt(bits, entry.index)) return purpose === 'revocation' ? 'REVOKED' : 'SUSPENDED';
  }
  return 'ACTIVE';
}

/** Verifies a presentation; every way it can fail is a value. */
export async function verifyPresented(
  presentation: string,
  deps: PresentationDeps,
): Promise<PresentationCheck> {
  let facts: PresentedFacts | null = null;
  try {
    const trimmed = presentation.trim();
    if (trimmed.length === 0 || trimmed.length > MAX_PRESENTATION) throw new Refused('MALFORMED');
    const municipality = claimedIssuer(trimmed);
    const keys = await deps.issuerKeys(municipality);
    if (!keys || keys.length === 0) throw new Refused('UNKNOWN_ISSUER');
    facts = await verifiedFacts(trimmed, keys);
    if (facts.municipality !== municipality) throw new Refused('UNKNOWN_ISSUER');
    const status = await statusOf(facts, deps);
    if (status !== 'ACTIVE') return { valid: false, failure: status, facts, status };
    if (deps.today < facts.validFrom) return { valid: false, failure: 'NOT_YET_VALID', facts, status: null };
    if (facts.validUntil !== null && deps.today > facts.validUntil)
      return { valid: false, failure: 'EXPIRED', facts, status: 'EXPIRED' };
    return { valid: true, facts, status: 'ACTIVE' };
  } catch (e) {
    const failure = e instanceof Refused ? e.failure : 'MALFORMED';
    return { valid: false, failure, facts, status: null };
  }
}
