// The native adapter's verification read: a credential, its code hash, holder and qualification in one statement.
import { and, eq, inArray, or } from 'drizzle-orm';
import { globalId, parseGlobalId } from '../../../../schema/ids';
import type { CredentialRecord, HolderRecord, QualificationRecord, VerificationRecord } from '../../store';
import type { NativeDatabase } from './database';
import { credential, holder, qualification } from './schema';

type CredentialRow = typeof credential.$inferSelect;

export function createNativeVerificationRead(
  db: NativeDatabase,
  toCredential: (r: CredentialRow) => CredentialRecord | Error,
) {
  return async function verificationsByIds(ids: readonly string[]): Promise<(VerificationRecord | null)[]> {
    const byOwner = new Map<string, string[]>();
    for (const id of ids) {
      const parsed = parseGlobalId(id);
      if (parsed)
        byOwner.set(parsed.municipality, [...(byOwner.get(parsed.municipality) ?? []), parsed.localId]);
    }
    if (byOwner.size === 0) return ids.map(() => null);
    const rows = await db
      .select({ c: credential, h: holder, q: qualification })
      .from(credential)
      .leftJoin(
        holder,
        and(eq(holder.municipality, credential.municipality), eq(holder.localId, credential.holderLocalId)),
      )
      .leftJoin(
        qualification,
        and(
          eq(qualification.municipality, credential.municipality),
          eq(qualification.localId, credential.qualificationLocalId),
        ),
      )
      .where(
        or(
          ...[...byOwner].map(([m, locals]) =>
            and(eq(credential.municipality, m), inArray(credential.localId, locals)),
          ),
        ),
      );
    const found = new Map<string, VerificationRecord>();
    for (const { c, h, q } of rows) {
      const holderRecord: HolderRecord | null = h && {
        id: globalId(h.municipality, h.localId),
        municipality: h.municipality,
        displayName: h.displayName,
        regionalHolderId: h.regionalHolderId,
      };
      const qualificationRecord: QualificationRecord | null = q && {
        id: globalId(q.municipality, q.localId),
        municipality: q.municipality,
        code: q.code,
        title: q.title,
        eqfLevel: q.eqfLevel,
        iscoCode: q.iscoCode,
      };
      found.set(globalId(c.municipality, c.localId), {
        credential: toCredential(c),
        verificationHash: c.verificationHash,
        holder: holderRecord,
        qualification: qualificationRecord,
      });
    }
    return ids.map((id) => found.get(id) ?? null);
  };
}
