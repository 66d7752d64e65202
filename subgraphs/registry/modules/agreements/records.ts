// Agreements as rows and as the facts the recognition decision reads.

import type { agreement, agreementParty } from '../../db/schema';
import type { AgreementFacts } from '../recognition/decide';

export type AgreementRow = typeof agreement.$inferSelect;
export type PartyRow = typeof agreementParty.$inferSelect;
export type AgreementStatus = 'PROPOSED' | 'RATIFIED' | 'SUSPENDED' | 'TERMINATED';

/** An agreement as seeded or proposed: its facts, with ratification dates per party. */
export type AgreementSeed = AgreementFacts;

export function factsOf(row: AgreementRow, parties: readonly PartyRow[]): AgreementFacts {
  return {
    id: row.id,
    title: row.title,
    parties: parties.map((p) => ({ municipality: p.municipality, ratifiedOn: p.ratifiedOn })),
    standards: row.standards,
    iscoGroups: row.iscoGroups,
    minEqfLevel: row.minEqfLevel,
    partialFromEqfLevel: row.partialFromEqfLevel,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    suspendedOn: row.suspendedOn,
    resumedOn: row.resumedOn,
    terminatedOn: row.terminatedOn,
    measures: row.measures as AgreementFacts['measures'],
  };
}

/** The stored status of a seeded agreement. */
export function statusOf(a: AgreementSeed): AgreementStatus {
  if (a.terminatedOn) return 'TERMINATED';
  if (a.suspendedOn && !a.resumedOn) return 'SUSPENDED';
  return a.parties.every((p) => p.ratifiedOn !== null) ? 'RATIFIED' : 'PROPOSED';
}

export function rowOf(a: AgreementSeed): AgreementRow {
  return {
    id: a.id,
    title: a.title,
    status: statusOf(a),
    standards: [...a.standards],
    iscoGroups: [...a.iscoGroups],
    minEqfLevel: a.minEqfLevel,
    partialFromEqfLevel: a.partialFromEqfLevel,
    validFrom: a.validFrom,
    validUntil: a.validUntil,
    suspendedOn: a.suspendedOn,
    resumedOn: a.resumedOn ?? null,
    terminatedOn: a.terminatedOn,
    measures: a.measures,
  };
}
