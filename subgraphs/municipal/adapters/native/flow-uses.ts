// The native adapter's part of the recognition breakdown of workforce flows: which foreign
// credentials the filtered placements name, and the placements grouped by what decides recognition.

import { and, gte, inArray, like, lte, notInArray, type SQL, sql } from 'drizzle-orm';
import { codesInScope } from '../../../../schema/scope';
import type { CredentialFacts, FlowQuery, MunicipalStore, RecognitionGroupRow } from '../../store';
import type { NativeDatabase } from './database';
import { credential, placement, qualification } from './schema';

/** The issuing municipality of a placement's credential: the global id's prefix. */
const placementOrigin = sql<string>`split_part(${placement.credentialId}, ':', 1)`;

/** The WHERE clause of every workforce-flow statement: destinations in scope, then the filters. */
function flowFilter(query: FlowQuery, scope: readonly string[]): SQL | undefined {
  return and(
    inArray(placement.municipality, [...scope]),
    query.from ? inArray(placementOrigin, [...query.from]) : undefined,
    query.iscoPrefix ? like(placement.iscoCode, `${query.iscoPrefix}%`) : undefined,
    query.startFrom ? gte(placement.startDate, query.startFrom) : undefined,
    query.startTo ? lte(placement.startDate, query.startTo) : undefined,
  );
}

interface GroupRow {
  from: string;
  to: string;
  qualification_id: string | null;
  eqf_level: number | null;
  status: RecognitionGroupRow['status'];
  validity: RecognitionGroupRow['validity'];
  since: string;
  placements: string | number;
}

const snakeCase = (f: CredentialFacts) => ({
  id: f.id,
  qualification_id: f.qualificationId,
  eqf_level: f.eqfLevel,
  status: f.status,
  valid_from: f.validFrom,
  valid_until: f.validUntil,
});

export function createNativeFlowRecognition(
  db: NativeDatabase,
  municipalities: readonly string[],
): Pick<MunicipalStore, 'flowCredentialsUsed' | 'placementRecognitionGroups'> {
  return {
    async flowCredentialsUsed(query) {
      const scope = codesInScope(municipalities, query.to);
      if (scope.length === 0) return [];
      const rows = await db
        .selectDistinct({ id: placement.credentialId })
        .from(placement)
        .where(and(flowFilter(query, scope), notInArray(placementOrigin, [...municipalities])));
      return rows.map((r) => r.id).sort();
    },

    async placementRecognitionGroups(query, facts: readonly CredentialFacts[], changeDates) {
      const scope = codesInScope(municipalities, query.to);
      if (scope.length === 0) return [];
      const localId = sql`substr(${placement.credentialId}, length(${placementOrigin}) + 2)`;
      const validFrom = sql`coalesce(${credential.validFrom}, f.valid_from)`;
      const validUntil = sql`coalesce(${credential.validUntil}, f.valid_until)`;
      const result = await db.execute(sql`/* flows:recognition-groups */
        SELECT ${placementOrigin} AS "from", ${placement.municipality} AS "to",
          coalesce(${credential.municipality} || ':' || ${credential.qualificationLocalId}, f.qualification_id) AS qualification_id,
          CASE WHEN ${credential.localId} IS NOT NULL THEN ${qualification.eqfLevel} ELSE f.eqf_level END AS eqf_level,
          coalesce(${credential.status}, f.status) AS status,
          CASE WHEN ${placement.startDate} < ${validFrom} THEN 'NOT_YET_VALID'
               WHEN ${placement.startDate} > ${validUntil} THEN 'EXPIRED' ELSE 'VALID' END AS validity,
          coalesce((SELECT max(d.day::date) FROM jsonb_array_elements_text(${JSON.stringify(changeDates)}::jsonb) AS d(day)
                    WHERE d.day::date <= ${placement.startDate}), DATE '0001-01-01')::text AS since,
          count(*) AS placements
        FROM ${placement}
        LEFT JOIN ${credential} ON ${credential.municipality} = ${placementOrigin}
          AND ${credential.localId} = ${localId}
        LEFT JOIN ${qualification} ON ${qualification.municipality} = ${credential.municipality}
          AND ${qualification.localId} = ${credential.qualificationLocalId}
        LEFT JOIN jsonb_to_recordset(${JSON.stringify(facts.map(snakeCase))}::jsonb)
          AS f(id text, qualification_id text, eqf_level integer, status text, valid_from date, valid_until date)
          ON ${credential.localId} IS NULL AND f.id = ${placement.credentialId}
        WHERE ${flowFilter(query, scope)}
        GROUP BY 1, 2, 3, 4, 5, 6, 7`);
      return (result as { rows: GroupRow[] }).rows.map((r) => ({
        from: r.from,
        to: r.to,
        qualificationId: r.qualification_id,
        eqfLevel: r.eqf_level ?? null,
        status: r.status,
        validity: r.validity,
        since: r.since,
        placements: Number(r.placements),
      }));
    },
  };
}
