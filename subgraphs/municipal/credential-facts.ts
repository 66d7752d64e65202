// What an issuer states of its own credentials for the flows' recognition breakdown: qualification,
// EQF level, status and validity, and nothing about the holder.
import type { CredentialFacts, CredentialRecord, MunicipalStore } from './store';

/** The facts of credentials already read, with the EQF level of each one's qualification (one batched read). */
export async function credentialFactsOf(
  credentials: readonly CredentialRecord[],
  reads: Pick<MunicipalStore, 'qualificationsByIds'>,
): Promise<CredentialFacts[]> {
  const qualifications = await reads.qualificationsByIds([
    ...new Set(credentials.map((c) => c.qualificationId)),
  ]);
  const eqf = new Map(
    qualifications.flatMap((q) => (q && !(q instanceof Error) ? [[q.id, q.eqfLevel] as const] : [])),
  );
  return credentials.map((c) => ({
    id: c.id,
    qualificationId: c.qualificationId,
    eqfLevel: eqf.get(c.qualificationId) ?? null,
    status: c.state,
    validFrom: c.validFrom,
    validUntil: c.validUntil,
  }));
}
