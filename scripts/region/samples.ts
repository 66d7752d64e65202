// Seeded credentials worth verifying in the demo: one per recognition outcome, with their printed codes.
import type { CredentialData, RegionData } from '../../common/region-records';

export interface SampleVerification {
  id: string;
  code: string;
  in: string;
  /** What the verification shows, in a few words. */
  shows: string;
  outcome: 'RECOGNISED' | 'CONDITIONAL' | 'PARTIAL' | 'NOT_RECOGNISED';
  reason: string | null;
}

type Wanted = [string, string, SampleVerification['outcome'], string | null, (c: CredentialData) => boolean];

export function sampleVerifications(region: RegionData, today: string): SampleVerification[] {
  const level = (c: CredentialData) =>
    region.qualifications.find(
      (q) => q.municipality === c.municipality && q.localId === c.qualificationLocalId,
    )?.eqfLevel ?? 0;
  const live = (c: CredentialData) =>
    c.status === 'ACTIVE' && c.validFrom <= today && (c.validUntil === null || c.validUntil >= today);
  const find = (where: (c: CredentialData) => boolean) => region.credentials.find(where);
  const wanted: Wanted[] = [
    [
      'NB',
      'recognised under a bilateral agreement',
      'RECOGNISED',
      null,
      (c) => c.municipality === 'SB' && c.qualificationLocalId === 'Q-002' && live(c) && level(c) >= 4,
    ],
    [
      'NB',
      'conditional: language level and adaptation period',
      'CONDITIONAL',
      null,
      (c) => c.municipality === 'SB' && c.qualificationLocalId === 'Q-005' && live(c) && level(c) >= 4,
    ],
    [
      'SB',
      'partial access (EQF level below the minimum)',
      'PARTIAL',
      'LEVEL_TOO_LOW',
      (c) => c.municipality === 'NB' && c.qualificationLocalId === 'Q-001' && live(c) && level(c) === 3,
    ],
    [
      'RV',
      'not recognised: agreement not ratified by every party',
      'NOT_RECOGNISED',
      'AGREEMENT_NOT_IN_FORCE',
      (c) => c.municipality === 'SB' && c.qualificationLocalId === 'Q-007' && live(c),
    ],
    [
      'NB',
      'not recognised: revoked by its issuer',
      'NOT_RECOGNISED',
      'REVOKED',
      (c) => c.municipality === 'RV' && c.status === 'REVOKED',
    ],
  ];
  return wanted.flatMap(([destination, shows, outcome, reason, where]) => {
    const c = find(where);
    const id = c ? `${c.municipality}:${c.localId}` : '';
    return c ? [{ id, code: c.verificationCode, in: destination, shows, outcome, reason }] : [];
  });
}
