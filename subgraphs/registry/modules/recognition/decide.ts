// The recognition decision as a pure function: facts in, explainable outcome out. No I/O, no clock.

import type { CredentialStatus } from '../../../../schema/credential-status';
export type Outcome = 'RECOGNISED' | 'CONDITIONAL' | 'PARTIAL' | 'NOT_RECOGNISED';
export type Reason =
  | 'REVOKED'
  | 'SUSPENDED'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'NO_AGREEMENT'
  | 'AGREEMENT_NOT_IN_FORCE'
  | 'OUT_OF_SCOPE'
  | 'LEVEL_TOO_LOW'
  | 'UNMAPPED_QUALIFICATION';
export type MeasureKind = 'ADAPTATION_PERIOD' | 'APTITUDE_TEST' | 'BRIDGE_COURSE' | 'LANGUAGE_LEVEL';

export interface Measure {
  kind: MeasureKind;
  months?: number | null;
  hours?: number | null;
  level?: string | null;
}

export interface AgreementFacts {
  id: string;
  title: string;
  parties: { municipality: string; ratifiedOn: string | null }[];
  standards: readonly string[];
  iscoGroups: readonly string[];
  minEqfLevel: number;
  partialFromEqfLevel: number | null;
  validFrom: string;
  validUntil: string | null;
  suspendedOn: string | null;
  /** The day a suspension ended (resumeAgreement); absent or null while it lasts. */
  resumedOn?: string | null;
  terminatedOn: string | null;
  measures: { from: string; to: string; measures: Measure[] }[];
}

export interface RecognitionInput {
  credential: {
    /** The issuing municipality (the credential id's prefix). */
    issuer: string;
    status: CredentialStatus;
    validFrom: string;
    validUntil: string | null;
    /** The local qualification's EQF level; the standard's level when the issuer gives none. */
    eqfLevel: number | null;
  };
  /** The regional standard the qualification maps to; null while unmapped. */
  standard: { code: string; iscoCode: string; eqfLevel: number } | null;
  /** The municipality where recognition is asked for. */
  destination: string;
  /** The day the recognition is for, YYYY-MM-DD. */
  at: string;
  /** Every agreement in the registry (the function picks those binding issuer and destination). */
  agreements: readonly AgreementFacts[];
}

export interface Decision {
  outcome: Outcome;
  reason: Reason | null;
  measures: Measure[];
  basis: { agreementId: string | null; clause: string } | null;
  explanation: string;
}

/** True when every party has ratified by `at`, `at` is inside the window, and it is not halted. */
/** Whether the agreement is suspended on `at`: from its suspension up to the day before it resumed. */
function suspendedAt(a: AgreementFacts, at: string): boolean {
  if (a.suspendedOn === null || at < a.suspendedOn) return false;
  return a.resumedOn == null || at < a.resumedOn;
}

export function inForce(a: AgreementFacts, at: string): boolean {
  if (a.parties.length < 2) return false;
  if (a.parties.some((p) => p.ratifiedOn === null || p.ratifiedOn > at)) return false;
  if (at < a.validFrom || (a.validUntil !== null && at > a.validUntil)) return false;
  if (suspendedAt(a, at)) return false;
  if (a.terminatedOn !== null && at >= a.terminatedOn) return false;
  return true;
}

const notRecognised = (reason: Reason, explanation: string, basis: Decision['basis'] = null): Decision => ({
  outcome: 'NOT_RECOGNISED',
  reason,
  measures: [],
  basis,
  explanation,
});

/** How one agreement alone would decide; the caller picks the most favourable. */
function underAgreement(input: RecognitionInput, a: AgreementFacts, level: number): Decision {
  const basis = (clause: string) => ({ agreementId: a.id, clause });
  const standard = input.standard as NonNullable<RecognitionInput['standard']>;
  const byStandard = a.standards.includes(standard.code);
  const byGroup = a.iscoGroups.find((g) => standard.iscoCode.startsWith(g));
  if (!byStandard && byGroup === undefined) {
    return notRecognised(
      'OUT_OF_SCOPE',
      `${a.id} (${a.title}) does not cover standard ${standard.code} (ISCO ${standard.iscoCode}).`,
      basis('scope'),
    );
  }
  if (!inForce(a, input.at)) {
    const pending = a.parties.filter((p) => p.ratifiedOn === null || p.ratifiedOn > input.at);
    const why = pending.length
      ? `not yet ratified by ${pending.map((p) => p.municipality).join(', ')}`
      : a.terminatedOn !== null && input.at >= a.terminatedOn
        ? `terminated on ${a.terminatedOn}`
        : suspendedAt(a, input.at)
          ? `suspended on ${a.suspendedOn}`
          : `outside its validity window ${a.validFrom} to ${a.validUntil ?? 'open'}`;
    return notRecognised(
      'AGREEMENT_NOT_IN_FORCE',
      `${a.id} (${a.title}) is not in force on ${input.at}: ${why}.`,
      basis('status'),
    );
  }
  const scopeClause = byStandard ? `scope.standards:${standard.code}` : `scope.iscoGroups:${byGroup}`;
  if (level < a.minEqfLevel) {
    if (a.partialFromEqfLevel !== null && level >= a.partialFromEqfLevel) {
      return {
        outcome: 'PARTIAL',
        reason: 'LEVEL_TOO_LOW',
        measures: [],
        basis: basis('scope.partialFromEqfLevel'),
        explanation: `Partial access under ${a.id} (${a.title}): EQF level ${level} is below the minimum ${a.minEqfLevel} but at least ${a.partialFromEqfLevel}.`,
      };
    }
    return notRecognised(
      'LEVEL_TOO_LOW',
      `${a.id} (${a.title}) requires EQF level ${a.minEqfLevel}; the qualification is at level ${level}.`,
      basis('scope.minEqfLevel'),
    );
  }
  const directed = a.measures.find((m) => m.from === input.credential.issuer && m.to === input.destination);
  if (directed && directed.measures.length > 0) {
    return {
      outcome: 'CONDITIONAL',
      reason: null,
      measures: directed.measures,
      basis: basis(`measures:${input.credential.issuer}->${input.destination}`),
      explanation: `Recognised under ${a.id} (${a.title}) once ${directed.measures.map(describeMeasure).join(', ')} are completed.`,
    };
  }
  return {
    outcome: 'RECOGNISED',
    reason: null,
    measures: [],
    basis: basis(scopeClause),
    explanation: `Recognised under ${a.id} (${a.title}), ${scopeClause}.`,
  };
}

export function describeMeasure(m: Measure): string {
  switch (m.kind) {
    case 'ADAPTATION_PERIOD':
      return `an adaptation period of ${m.months ?? 0} months`;
    case 'APTITUDE_TEST':
      return 'an aptitude test';
    case 'BRIDGE_COURSE':
      return `a bridge course of ${m.hours ?? 0} hours`;
    case 'LANGUAGE_LEVEL':
      return `language level ${m.level ?? '?'}`;
  }
}

/** Burden of a set of measures: a month of adaptation weighs like 40 course hours or one test. */
export function burden(measures: readonly Measure[]): number {
  const weight = (m: Measure): number => {
    switch (m.kind) {
      case 'ADAPTATION_PERIOD':
        return (m.months ?? 0) * 40;
      case 'APTITUDE_TEST':
        return 40;
      case 'BRIDGE_COURSE':
        return m.hours ?? 0;
      case 'LANGUAGE_LEVEL':
        return 20;
    }
  };
  return measures.reduce((sum, m) => sum + weight(m), 0);
}

const OUTCOME_RANK: Record<Outcome, number> = {
  RECOGNISED: 0,
  CONDITIONAL: 1,
  PARTIAL: 2,
  NOT_RECOGNISED: 3,
};
/**
 * Among failures, the reason that came closest to recognition explains best: an agreement in force
 * that covers the standard, then one that covers it but is not in force, then one that does not cover it.
 */
const REASON_RANK: Partial<Record<Reason, number>> = {
  LEVEL_TOO_LOW: 0,
  AGREEMENT_NOT_IN_FORCE: 1,
  OUT_OF_SCOPE: 2,
};

/** Orders two decisions, the more favourable to the holder first. */
export function compareFavour(a: Decision, b: Decision): number {
  const byOutcome = OUTCOME_RANK[a.outcome] - OUTCOME_RANK[b.outcome];
  if (byOutcome !== 0) return byOutcome;
  if (a.outcome === 'CONDITIONAL') {
    const byBurden = burden(a.measures) - burden(b.measures);
    if (byBurden !== 0) return byBurden;
  }
  if (a.outcome === 'NOT_RECOGNISED') {
    const byReason = (REASON_RANK[a.reason as Reason] ?? 9) - (REASON_RANK[b.reason as Reason] ?? 9);
    if (byReason !== 0) return byReason;
  }
  const ia = a.basis?.agreementId ?? '';
  const ib = b.basis?.agreementId ?? '';
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** The recognition of one credential in one municipality on one date. */
export function decideRecognition(input: RecognitionInput): Decision {
  const { credential: c, at, destination } = input;
  if (c.status === 'REVOKED')
    return notRecognised('REVOKED', 'The credential has been revoked by its issuer.');
  if (c.status === 'SUSPENDED')
    return notRecognised('SUSPENDED', 'The credential is suspended by its issuer.');
  if (at < c.validFrom) return notRecognised('NOT_YET_VALID', `The credential is valid from ${c.validFrom}.`);
  if (c.validUntil !== null && at > c.validUntil) {
    return notRecognised('EXPIRED', `The credential expired after ${c.validUntil}.`);
  }
  if (destination === c.issuer) {
    return {
      outcome: 'RECOGNISED',
      reason: null,
      measures: [],
      basis: { agreementId: null, clause: 'issuer' },
      explanation: `A valid credential is always recognised by its issuer, ${c.issuer}.`,
    };
  }
  if (!input.standard) {
    return notRecognised(
      'UNMAPPED_QUALIFICATION',
      'The qualification is not mapped to a regional standard, so no agreement can cover it.',
    );
  }
  const binding = input.agreements.filter((a) => {
    const parties = a.parties.map((p) => p.municipality);
    return parties.includes(c.issuer) && parties.includes(destination);
  });
  if (binding.length === 0) {
    return notRecognised('NO_AGREEMENT', `No reciprocity agreement binds ${c.issuer} and ${destination}.`);
  }
  const level = c.eqfLevel ?? input.standard.eqfLevel;
  const ranked = binding.map((a) => underAgreement(input, a, level)).sort(compareFavour);
  const best = ranked[0] as Decision;
  if (ranked.length === 1) return best;
  const others = ranked
    .slice(1)
    .map((d) => `${d.basis?.agreementId}: ${d.outcome}${d.reason ? ` (${d.reason})` : ''}`);
  return {
    ...best,
    explanation: `${best.explanation} Chosen as the most favourable of ${ranked.length} agreements binding ${c.issuer} and ${destination}; the others give ${others.join('; ')}.`,
  };
}
