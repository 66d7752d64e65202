// What a credential says as a verifiable credential: an Open Badges 3.0 achievement in a W3C VC 2.0
// envelope (VC-JWT), and the same facts as SD-JWT VC claims with the holder's name disclosable.
import type { StatusPurpose } from './status-list';

/** The qualification a credential attests, as signed and as read back from a presentation. */
export interface AttestedQualification {
  id: string;
  code: string;
  title: string;
  eqfLevel: number | null;
  iscoCode: string | null;
}

/** Everything the issuer signs about one credential; only `holderName` is personal. */
export interface AchievementFacts {
  /** Global id, e.g. NB:C-000123. */
  credentialId: string;
  municipality: string;
  /** The municipality's issuer URL, e.g. https://gateway.example/issuers/NB. */
  issuerUrl: string;
  holderName: string;
  qualification: AttestedQualification;
  validFrom: string;
  validUntil: string | null;
  /** The credential's position in the issuer's status lists, and each list's URL. */
  status: { index: number; lists: Record<StatusPurpose, string> };
}

/** The SD-JWT VC type of a Crossgate vocational credential. */
export const VOCATIONAL_VCT = 'urn:crossgate:vct:vocational-credential:1';
export const CREDENTIAL_ID_PREFIX = 'urn:crossgate:credential:';

/** ESCO publishes each ISCO-08 group as a concept under this base (e.g. …/isco/C7411). */
export const escoOccupationUri = (isco: string) => `http://data.europa.eu/esco/isco/C${isco}`;
export const eqfLevelUri = (level: number) => `http://data.europa.eu/snb/eqf/${level}`;

/** The day's first instant (validFrom) or last second (validUntil), as VC 2.0 date-times. */
export const startOfDay = (day: string) => `${day}T00:00:00Z`;
export const endOfDay = (day: string) => `${day}T23:59:59Z`;

function alignments(q: AchievementFacts['qualification']) {
  const out: Record<string, unknown>[] = [];
  if (q.iscoCode) {
    out.push({
      type: ['Alignment'],
      targetFramework: 'ISCO-08',
      targetCode: q.iscoCode,
      targetName: `ISCO-08 unit group ${q.iscoCode}`,
      targetUrl: escoOccupationUri(q.iscoCode),
      targetType: 'ext:ESCOOccupation',
    });
  }
  if (q.eqfLevel !== null) {
    out.push({
      type: ['Alignment'],
      targetFramework: 'EQF',
      targetCode: String(q.eqfLevel),
      targetName: `EQF level ${q.eqfLevel}`,
      targetUrl: eqfLevelUri(q.eqfLevel),
    });
  }
  return out;
}

function statusEntries(f: AchievementFacts) {
  return (Object.entries(f.status.lists) as [StatusPurpose, string][]).map(([purpose, url]) => ({
    id: `${url}#${f.status.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(f.status.index),
    statusListCredential: url,
  }));
}

/** The achievement itself, with no holder data: shared by both formats. */
export function achievementOf(f: AchievementFacts) {
  const q = f.qualification;
  return {
    id: `${f.issuerUrl}/qualifications/${encodeURIComponent(q.id)}`,
    type: ['Achievement'],
    achievementType: 'Certificate',
    name: q.title,
    description: `${q.title}, a vocational qualification of ${f.municipality}`,
    criteria: { narrative: `Qualification ${q.code} as defined by ${f.municipality}` },
    humanCode: q.code,
    alignment: alignments(q),
  };
}

/** The VC 2.0 / Open Badges 3.0 credential, secured as application/vc+jwt. */
export function achievementCredential(f: AchievementFacts) {
  return {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ],
    id: `${CREDENTIAL_ID_PREFIX}${f.credentialId}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: f.issuerUrl, type: ['Profile'], name: `Municipality ${f.municipality}` },
    validFrom: startOfDay(f.validFrom),
    ...(f.validUntil ? { validUntil: endOfDay(f.validUntil) } : {}),
    credentialSubject: {
      type: ['AchievementSubject'],
      name: f.holderName,
      achievement: achievementOf(f),
    },
    credentialStatus: statusEntries(f),
  };
}

/** The SD-JWT VC claims; `name` is made selectively disclosable when issued (sign.ts). */
export function sdJwtClaims(f: AchievementFacts) {
  const q = f.qualification;
  return {
    iss: f.issuerUrl,
    vct: VOCATIONAL_VCT,
    nbf: Math.floor(Date.parse(startOfDay(f.validFrom)) / 1000),
    ...(f.validUntil ? { exp: Math.floor(Date.parse(endOfDay(f.validUntil)) / 1000) } : {}),
    credential_id: f.credentialId,
    name: f.holderName,
    occupation: {
      qualification_id: q.id,
      qualification_code: q.code,
      title: q.title,
      isco_08: q.iscoCode,
      esco_occupation: q.iscoCode ? escoOccupationUri(q.iscoCode) : null,
      eqf_level: q.eqfLevel,
    },
    valid_from: f.validFrom,
    valid_until: f.validUntil,
    credentialStatus: statusEntries(f),
  };
}
