// The recognition breakdown of workforce flows for a legacy register of one municipality: one
// GROUP BY of its placements by (credential, start date), its own credentials read in their usual
// batch, the issuers' facts for the others, grouped here, inside the municipality.
import type { CredentialFacts, FlowQuery, MunicipalStore, RecognitionGroupRow } from '../store';
import { flowsReach } from './legacy';

/** The filtered placements counted by (credential id, start date YYYY-MM-DD), in one statement. */
export interface PlacementUse {
  credentialId: string;
  startDate: string;
  placements: number;
}

type Reads = Pick<MunicipalStore, 'credentialsByIds' | 'qualificationsByIds'>;

/** The last change date on or before `date`, or "0001-01-01" (dates ascending). */
function since(changeDates: readonly string[], date: string): string {
  let found = '0001-01-01';
  for (const d of changeDates) {
    if (d > date) break;
    found = d;
  }
  return found;
}

async function ownFacts(ids: readonly string[], reads: Reads): Promise<CredentialFacts[]> {
  if (ids.length === 0) return [];
  const credentials = (await reads.credentialsByIds(ids)).filter(
    (c): c is Exclude<typeof c, Error | null> => c !== null && !(c instanceof Error),
  );
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

export function flowRecognitionFromUses(
  code: string,
  uses: (query: FlowQuery) => Promise<PlacementUse[]>,
  reads: Reads,
): Pick<MunicipalStore, 'flowCredentialsUsed' | 'placementRecognitionGroups'> {
  const issuerOf = (id: string) => id.slice(0, Math.max(0, id.indexOf(':')));
  return {
    async flowCredentialsUsed(query) {
      if (!flowsReach(code, query)) return [];
      const ids = new Set(
        (await uses(query)).map((u) => u.credentialId).filter((id) => issuerOf(id) !== code),
      );
      return [...ids].sort();
    },

    async placementRecognitionGroups(query, facts, changeDates) {
      if (!flowsReach(code, query)) return [];
      const rows = await uses(query);
      const own = [...new Set(rows.map((r) => r.credentialId).filter((id) => issuerOf(id) === code))];
      const known = new Map<string, CredentialFacts>();
      for (const f of facts) if (issuerOf(f.id) !== code) known.set(f.id, f);
      for (const f of await ownFacts(own, reads)) known.set(f.id, f);
      const groups = new Map<string, RecognitionGroupRow>();
      for (const r of rows) {
        const f = known.get(r.credentialId);
        const validity: RecognitionGroupRow['validity'] = !f
          ? 'VALID'
          : r.startDate < f.validFrom
            ? 'NOT_YET_VALID'
            : f.validUntil !== null && r.startDate > f.validUntil
              ? 'EXPIRED'
              : 'VALID';
        const row: RecognitionGroupRow = {
          from: issuerOf(r.credentialId),
          to: code,
          qualificationId: f?.qualificationId ?? null,
          eqfLevel: f?.eqfLevel ?? null,
          status: f?.status ?? null,
          validity,
          since: since(changeDates, r.startDate),
          placements: 0,
        };
        const key = [row.from, row.qualificationId, row.eqfLevel, row.status, validity, row.since].join(
          '\u0000',
        );
        const group = groups.get(key) ?? row;
        group.placements += r.placements;
        groups.set(key, group);
      }
      return [...groups.values()];
    },
  };
}
