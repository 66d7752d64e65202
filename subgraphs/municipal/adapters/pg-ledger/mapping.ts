// Riverside's award ledger in the contract's shapes: surrogate keys behind external references,
// validity and employment periods as date ranges, names as JSON, states in the ledger's words.
import { nameParts } from '../kit/fields';
import { defineMapping } from '../kit/mapping';
import { award, awardType, job, learner } from './schema';

export const LEDGER_STATES = { ACTIVE: 'granted', SUSPENDED: 'paused', REVOKED: 'withdrawn' } as const;

/** {"given": "…", "family": "…"}: the non-empty parts, space-separated. */
const nameOf = (name: unknown) => {
  const n = (name ?? {}) as { given?: unknown; family?: unknown };
  return [n.given, n.family].filter((p) => typeof p === 'string' && p !== '').join(' ');
};

export const pgLedgerMapping = defineMapping({
  name: 'pg-ledger',
  dialect: 'postgresql',
  credential: {
    table: award,
    id: award.awardRef,
    holder: { column: award.learnerId, refers: learner.learnerId, id: learner.learnerRef },
    qualification: { column: award.awardTypeId, refers: awardType.awardTypeId, id: awardType.awardTypeRef },
    state: { column: award.state, codes: LEDGER_STATES },
    validFrom: { column: award.validity, format: 'range-start' },
    validUntil: { column: award.validity, format: 'range-end', none: 'an open upper bound: no expiry' },
    verificationHash: award.digest,
    allocate: { kind: 'max-plus-one', prefix: 'C-', width: 6 },
  },
  holder: {
    table: learner,
    id: learner.learnerRef,
    displayName: {
      column: learner.name,
      read: nameOf,
      write: (h: { displayName: string }) => {
        const [given, family] = nameParts(h.displayName);
        return { given, family };
      },
    },
    regionalHolderId: learner.regionalId,
  },
  qualification: {
    table: awardType,
    id: awardType.awardTypeRef,
    code: awardType.localCode,
    title: awardType.label,
    eqfLevel: awardType.eqf,
    iscoCode: awardType.isco,
  },
  placement: {
    table: job,
    id: job.jobRef,
    credential: job.awardGlobalRef,
    employer: job.employer,
    iscoCode: job.isco,
    startDate: { column: job.period, format: 'range-start' },
    endDate: { column: job.period, format: 'range-end', none: 'an open upper bound: still employed' },
    allocate: { kind: 'max-plus-one', prefix: 'P-', width: 6 },
  },
});
