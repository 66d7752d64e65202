// The region the host and soak runs start: the demo's three municipalities first, then generated
// members with codes of their own, a small seed each, and the release policies they serve under.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MunicipalityInfo } from '../../common/region-records';
import type { RegistrySeed } from '../../subgraphs/registry/seed';
import { demoRegistrySeed } from '../seed/agreements';
import { DEMO_MUNICIPALITIES } from '../seed/catalogue';
import { generateRegion, type RegionShape } from '../seed/region';

const COUNTRIES = ['DE', 'PL', 'CZ', 'AT', 'LU', 'FR', 'BE', 'NL'] as const;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The i-th generated member (0-based): code `M` + two letters, e.g. MAA, MAB, … */
function generatedMember(i: number): MunicipalityInfo {
  const code = `M${LETTERS[Math.floor(i / 26) % 26]}${LETTERS[i % 26]}`;
  return { code, name: `Member town ${code}`, country: COUNTRIES[i % COUNTRIES.length] as string };
}

/** `members` municipalities: NB, SB, RV, then generated ones; small enough that 100 fit one machine. */
export function hostsShape(members: number, perMember = 40): RegionShape {
  if (!Number.isInteger(members) || members < 1 || members > 600) {
    throw new Error(`--members must be a whole number from 1 to 600; received ${members}`);
  }
  const municipalities = [
    ...DEMO_MUNICIPALITIES.slice(0, members),
    ...Array.from({ length: Math.max(0, members - DEMO_MUNICIPALITIES.length) }, (_, i) =>
      generatedMember(i),
    ),
  ];
  return {
    seed: 1414,
    municipalities,
    holdersPerMunicipality: perMember,
    placementsPerMunicipality: perMember,
    crossBorderShare: 0.4,
  };
}

/** The shape a host process was started with (REGION_SHAPE, JSON). */
export function shapeFromEnv(env: NodeJS.ProcessEnv = process.env): RegionShape {
  if (!env.REGION_SHAPE) throw new Error('REGION_SHAPE is not set: the JSON of the region shape is expected');
  return JSON.parse(env.REGION_SHAPE) as RegionShape;
}

/** The demo registry's seed, keeping only the agreements whose parties are all members of this region. */
export function hostsRegistrySeed(shape: RegionShape): RegistrySeed {
  const seed = demoRegistrySeed(generateRegion(shape));
  const codes = new Set(shape.municipalities.map((m) => m.code));
  return {
    ...seed,
    agreements: seed.agreements.filter((a) => a.parties.every((p) => codes.has(p.municipality))),
  };
}

/**
 * Writes one release policy per member into `dir`: the demo's own for NB, SB and RV, and Northbank's
 * rules under its own code for each generated member. Returns `dir`.
 */
export function writeHostsPolicies(shape: RegionShape, policiesDir: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const template = JSON.parse(readFileSync(join(policiesDir, 'NB.json'), 'utf8')) as Record<string, unknown>;
  for (const { code } of shape.municipalities) {
    const own = DEMO_MUNICIPALITIES.some((m) => m.code === code);
    const text = own
      ? readFileSync(join(policiesDir, `${code}.json`), 'utf8')
      : JSON.stringify({ ...template, municipality: code }, null, 2);
    writeFileSync(join(dir, `${code}.json`), text);
  }
  return dir;
}
