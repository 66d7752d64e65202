// A seeded generator of synthetic regions: the same seed always gives the same region.

import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type {
  CredentialData,
  HolderData,
  MunicipalityInfo,
  PlacementData,
  QualificationData,
  RegionData,
} from '../../common/region-records';
import { regionalHolderId } from '../../common/regional-holder-id';
import { EMPLOYERS, FIRST_NAMES, LAST_NAMES, OCCUPATIONS } from './catalogue';

export interface RegionShape {
  seed: number;
  municipalities: readonly MunicipalityInfo[];
  holdersPerMunicipality: number;
  placementsPerMunicipality: number;
  /** Share of placements that use a credential issued in another municipality. */
  crossBorderShare?: number;
  /** Key of the region's holder-id hash; each municipality holds it, no party shares raw ids. */
  holderKey?: string;
}

const pad = (n: number, width = 6) => String(n).padStart(width, '0');

export { regionalHolderId };

function isoDate(epochDay: number): string {
  return new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
}
const DAY_2012 = Date.UTC(2012, 0, 1) / 86_400_000;
const DAY_2026 = Date.UTC(2026, 5, 30) / 86_400_000;

export function generateRegion(shape: RegionShape): RegionData {
  const rng = xoroshiro128plus(shape.seed);
  const int = (from: number, to: number) => uniformInt(rng, from, to);
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T;
  const chance = (p: number) => int(0, 9999) < p * 10_000;
  const key = shape.holderKey ?? 'crossgate-demo-holder-key';
  const codes = shape.municipalities.map((m) => m.code);

  const standards = OCCUPATIONS.map((o) => ({
    code: `RS-${o.iscoCode}-${o.eqf}`,
    title: o.title,
    eqfLevel: o.eqf,
    iscoCode: o.iscoCode,
  }));
  const qualifications: QualificationData[] = [];
  for (const m of shape.municipalities) {
    OCCUPATIONS.forEach((o, i) => {
      const unmapped = i === OCCUPATIONS.length - 1;
      qualifications.push({
        municipality: m.code,
        localId: `Q-${pad(i + 1, 3)}`,
        code: `${m.code}-${o.iscoCode}-${int(1, 9)}`,
        title: `${o.title} (${m.name})`,
        eqfLevel: Math.max(2, o.eqf + int(-1, 1)),
        iscoCode: o.iscoCode,
        standardCode: unmapped ? null : `RS-${o.iscoCode}-${o.eqf}`,
      });
    });
  }

  const holders: HolderData[] = [];
  const credentials: CredentialData[] = [];
  let person = 0;
  for (const m of shape.municipalities) {
    let issued = 0;
    for (let h = 1; h <= shape.holdersPerMunicipality; h++) {
      // About one holder in ten is a person already registered in another municipality.
      const reuse = holders.length > 0 && chance(0.1) ? pick(holders) : null;
      const nationalId = reuse && reuse.municipality !== m.code ? reuse.nationalId : `P${pad(++person, 9)}`;
      const displayName =
        reuse && reuse.municipality !== m.code
          ? reuse.displayName
          : `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
      const holder: HolderData = {
        municipality: m.code,
        localId: `H-${pad(h)}`,
        displayName,
        nationalId,
        regionalHolderId: regionalHolderId(nationalId, key),
      };
      holders.push(holder);
      const count = chance(0.3) ? 2 : 1;
      for (let c = 0; c < count; c++) {
        const q = int(1, OCCUPATIONS.length);
        const from = int(DAY_2012, DAY_2026 - 30);
        const roll = int(0, 99);
        credentials.push({
          municipality: m.code,
          localId: `C-${pad(++issued)}`,
          holderLocalId: holder.localId,
          qualificationLocalId: `Q-${pad(q, 3)}`,
          status: roll < 90 ? 'ACTIVE' : roll < 95 ? 'SUSPENDED' : 'REVOKED',
          validFrom: isoDate(from),
          validUntil: chance(0.4) ? null : isoDate(from + int(3, 10) * 365),
          verificationCode: `${pick(['K', 'M', 'R', 'T', 'W'])}${int(1000, 9999)}-${int(1000, 9999)}`,
        });
      }
    }
  }

  const byMunicipality = new Map(codes.map((c) => [c, credentials.filter((x) => x.municipality === c)]));
  const qualificationIsco = new Map(
    qualifications.map((q) => [`${q.municipality}:${q.localId}`, q.iscoCode]),
  );
  const placements: PlacementData[] = [];
  const cross = shape.crossBorderShare ?? 0.4;
  for (const m of shape.municipalities) {
    for (let p = 1; p <= shape.placementsPerMunicipality; p++) {
      const others = codes.filter((c) => c !== m.code);
      const issuer = others.length > 0 && chance(cross) ? pick(others) : m.code;
      const pool = byMunicipality.get(issuer) ?? [];
      if (pool.length === 0) continue;
      const cred = pick(pool);
      const start = int(Date.UTC(2019, 0, 1) / 86_400_000, DAY_2026);
      placements.push({
        municipality: m.code,
        localId: `P-${pad(p)}`,
        credentialId: `${cred.municipality}:${cred.localId}`,
        iscoCode: qualificationIsco.get(`${cred.municipality}:${cred.qualificationLocalId}`) ?? '0000',
        employer: pick(EMPLOYERS),
        startDate: isoDate(start),
        endDate: chance(0.5) ? null : isoDate(start + int(30, 900)),
      });
    }
  }

  return {
    municipalities: [...shape.municipalities],
    occupations: OCCUPATIONS.map((o) => ({ iscoCode: o.iscoCode, title: o.title })),
    standards,
    qualifications,
    holders,
    credentials,
    placements,
  };
}
