// The native adapter's verification read: a credential, its code hash, holder and qualification in one statement.
import { and, eq, inArray, or } from 'drizzle-orm';
import { globalId, parseGlobalId } from '../../../../schema/ids';
import type { CredentialRecord, HolderRecord, QualificationRecord, VerificationRecord } from '../../store';
import { invalidRecord } from '../invalid-record';
import type { NativeDatabase } from './database';
import { nativeMapping } from './mapping';
import { credential, holder, qualification } from './schema';

const STATES = new Map(Object.entries(nativeMapping.credential.state.codes).map(([s, code]) => [code, s]));

function toCredential(r: typeof credential.$inferSelect): CredentialRecord | Error {
  const id = globalId(r.municipality, r.localId);
  const state = STATES.get(r.status) as CredentialRecord['state'] | undefined;
  if (!state) return invalidRecord(r.municipality, id, `unknown state ${JSON.stringify(r.status)}`);
  return {
    id,
    municipality: r.municipality,
    holderId: globalId(r.municipality, r.holderLocalId),
    qualificationId: globalId(r.municipality, r.qualificationLocalId),
    state,
    validFrom: r.validFrom,
    validUntil: r.validUntil,
  };
}

export function createNativeVerificationRead(db: NativeDatabase) {
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
