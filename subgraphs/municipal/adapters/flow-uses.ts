// The recognition breakdown of workforce flows for a store without the native schema's join: one
// GROUP BY of its placements by (credential, start date), its own credentials read in their usual
// batch, the issuers' facts for the others, grouped here, inside the municipality.
import { credentialFactsOf } from '../credential-facts';
import type { CredentialFacts, FlowQuery, MunicipalStore, RecognitionGroupRow } from '../store';

/** The filtered placements counted by (credential id, start date YYYY-MM-DD), in one statement. */
export interface PlacementUse {
  credentialId: string;
  /** Where the placement is registered. */
  to: string;
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
  return credentialFactsOf(credentials, reads);
}

export function flowRecognitionFromUses(
  codes: readonly string[],
  uses: (query: FlowQuery) => Promise<PlacementUse[]>,
  reads: Reads,
): Pick<MunicipalStore, 'flowCredentialsUsed' | 'placementRecognitionGroups'> {
  const issuerOf = (id: string) => id.slice(0, Math.max(0, id.indexOf(':')));
  const ownId = (id: string) => codes.includes(issuerOf(id));
  const reaches = (query: FlowQuery) => query.to === null || codes.some((c) => query.to?.includes(c));
  return {
    async flowCredentialsUsed(query) {
      if (!reaches(query)) return [];
      const ids = new Set((await uses(query)).map((u) => u.credentialId).filter((id) => !ownId(id)));
      return [...ids].sort();
    },

    async placementRecognitionGroups(query, facts, changeDates) {
      if (!reaches(query)) return [];
      const rows = await uses(query);
      const own = [...new Set(rows.map((r) => r.credentialId).filter(ownId))];
      const known = new Map<string, CredentialFacts>();
      for (const f of facts) if (!ownId(f.id)) known.set(f.id, f);
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
          to: r.to,
          qualificationId: f?.qualificationId ?? null,
          eqfLevel: f?.eqfLevel ?? null,
          status: f?.status ?? null,
          validity,
          since: since(changeDates, r.startDate),
          placements: 0,
        };
        const key = [
          row.from,
          row.to,
          row.qualificationId,
          row.eqfLevel,
          row.status,
          validity,
          row.since,
        ].join('\u0000');
        const group = groups.get(key) ?? row;
        group.placements += r.placements;
        groups.set(key, group);
      }
      return [...groups.values()];
    },
  };
}
