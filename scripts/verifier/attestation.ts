// Offline check of an attestation against the registry's signed directory saved earlier: who signed, and what.
import { readFileSync } from 'node:fs';
import { decodeJwt, type JWK } from 'jose';
import { type AttestationResult, openAttestation } from '../../common/credentials/attestation';
import { type DirectoryDocument, KeyDirectory, openDirectory } from '../../common/key-directory';
import { publicKeyOf } from '../../common/member-keys';

/** The registry's keys from a JWK or JWKS file: the directory must be signed by one of them. */
export function readPinnedKeys(file: string): JWK[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as JWK | { keys: JWK[] };
  return 'keys' in parsed && Array.isArray(parsed.keys) ? parsed.keys : [parsed as JWK];
}

/**
 * The saved directory, its signature checked: against `pinned` keys when given, otherwise against the
 * registry keys it lists itself (then it proves only that it is whole, not who published it).
 */
export async function openSavedDirectory(jws: string, pinned?: readonly JWK[]): Promise<DirectoryDocument> {
  let listed: JWK[] = [];
  if (!pinned) {
    try {
      const unverified = decodeJwt(jws.trim()) as unknown as DirectoryDocument;
      listed = unverified.keys.filter((k) => k.role === 'registry').map((k) => k.jwk as JWK);
    } catch {
      throw new Error('the directory file is not a signed directory (a compact JWS)');
    }
  }
  const trusted = new Map(
    (pinned ?? listed).flatMap((jwk) => {
      const key = publicKeyOf(jwk);
      return jwk.kid && key ? [[jwk.kid, key] as const] : [];
    }),
  );
  try {
    return await openDirectory(jws.trim(), (kid) => trusted.get(kid) ?? null);
  } catch (e) {
    throw new Error(`the directory does not verify: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Checks an attestation against a checked directory document. */
export function checkAttestation(
  attestation: string,
  directory: DirectoryDocument,
): Promise<AttestationResult> {
  const keys = new KeyDirectory({ load: async () => directory, ttlMs: Number.POSITIVE_INFINITY });
  return openAttestation(attestation, (kid, at) => keys.signerKey(kid, at));
}

/** What an attestation says, as lines for a person to read. */
export function describe(result: AttestationResult & { ok: true }, directory: DirectoryDocument): string[] {
  const { check, recognition } = result;
  const measures = recognition?.measures.map((m) =>
    [m.kind, m.months && `${m.months} months`, m.hours && `${m.hours} h`, m.level].filter(Boolean).join(' '),
  );
  return [
    `Attestation holds: signed by ${result.signers.statement}, countersigned by ${result.signers.countersignature}`,
    `  credential   ${check.credential} (issued by ${check.issuer})`,
    `  checked      ${check.checkedAt} by ${check.method === 'verifyCredential' ? `its owner ${check.issuer}` : 'the gateway (a presented credential)'}`,
    `  verifier     ${check.verifier}`,
    `  valid        ${check.valid}, status ${check.status ?? 'none'}`,
    `  destination  ${check.destination}`,
    recognition
      ? `  recognition  ${recognition.outcome}${recognition.reason ? ` (${recognition.reason})` : ''} on ${recognition.at}` +
        `${recognition.agreement ? `, agreement ${recognition.agreement}` : ''}${recognition.clause ? `, ${recognition.clause}` : ''}`
      : '  recognition  none',
    ...(measures && measures.length > 0 ? [`  measures     ${measures.join('; ')}`] : []),
    `  countersigned ${result.countersignedAt}; directory issued ${directory.issuedAt}`,
  ];
}
