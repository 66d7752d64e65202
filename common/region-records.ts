// The records of a region as the demo generator produces them and each store's seeder writes them:
// members, occupations, standards, and every municipality's qualifications, holders, credentials
// and placements.
import { createHash } from 'node:crypto';

export interface MunicipalityInfo {
  code: string;
  name: string;
  country: string;
}

export interface QualificationData {
  municipality: string;
  localId: string;
  code: string;
  title: string;
  eqfLevel: number;
  iscoCode: string;
  /** Regional standard it is mapped to; null for a deliberately unmapped qualification. */
  standardCode: string | null;
}
export interface HolderData {
  municipality: string;
  localId: string;
  displayName: string;
  nationalId: string;
  regionalHolderId: string;
}
export interface CredentialData {
  municipality: string;
  localId: string;
  holderLocalId: string;
  qualificationLocalId: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED';
  validFrom: string;
  validUntil: string | null;
  verificationCode: string;
}
export interface PlacementData {
  municipality: string;
  localId: string;
  credentialId: string;
  iscoCode: string;
  employer: string;
  startDate: string;
  endDate: string | null;
}
export interface RegionData {
  municipalities: MunicipalityInfo[];
  occupations: { iscoCode: string; title: string }[];
  standards: { code: string; title: string; eqfLevel: number; iscoCode: string }[];
  qualifications: QualificationData[];
  holders: HolderData[];
  credentials: CredentialData[];
  placements: PlacementData[];
}

/** How a register stores a credential's printed verification code: its SHA-256, in hex. */
export function verificationHash(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** The records one municipality keeps in its own database. */
export function recordsOf(region: RegionData, codes: readonly string[]) {
  const mine = <T extends { municipality: string }>(list: T[]) =>
    list.filter((r) => codes.includes(r.municipality));
  return {
    qualifications: mine(region.qualifications),
    holders: mine(region.holders),
    credentials: mine(region.credentials),
    placements: mine(region.placements),
  };
}
