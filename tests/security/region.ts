// The region the security suite attacks: three municipalities under their demo release policies,
// no default caller (every request states its own identity), production-style gateway settings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenClaims } from '../../scripts/region/keys';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import type { AuditEntry } from '../../subgraphs/municipal/audit/chain';
import { type PolicyFile, PolicyFileSchema } from '../../subgraphs/municipal/policy/policy';
import { type InProcessRegion, type RegionOptions, startRegion } from '../support/in-process';

export const region = generateRegion({
  seed: 11,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 30,
  placementsPerMunicipality: 30,
});

export const demoPolicy = (code: string): PolicyFile =>
  PolicyFileSchema.parse(JSON.parse(readFileSync(join(__dirname, '../../policies', `${code}.json`), 'utf8')));

/** The day the municipalities ask which agreements are in force (their partner caches' clock). */
export const SECURITY_DAY = '2026-11-01';

export function startSecureRegion(extra: Partial<RegionOptions> = {}): Promise<InProcessRegion> {
  return startRegion({
    region,
    today: SECURITY_DAY,
    gateway: { development: false },
    trust: {
      policies: Object.fromEntries(['NB', 'SB', 'RV'].map((c) => [c, demoPolicy(c)])),
      defaultCaller: null,
      partners: { now: () => Date.parse(`${SECURITY_DAY}T12:00:00Z`) },
    },
    ...extra,
  });
}

export const registryAdmin: TokenClaims = { subject: 'admin-1', role: 'registry_admin' };

/** A registry administrator's (or a party's) write to an agreement, through the gateway; fails loudly. */
export async function changeAgreement(
  r: InProcessRegion,
  change: 'suspendAgreement' | 'terminateAgreement' | 'ratifyAgreement',
  args: { id: string; on: string; municipality?: string },
  key: string,
) {
  const ratify = change === 'ratifyAgreement';
  const res = await r.query(
    ratify
      ? `mutation($id: ID!, $m: ID!, $on: Date!, $key: String!) { ratifyAgreement(id: $id, municipality: $m, on: $on, idempotencyKey: $key) { id status } }`
      : `mutation($id: ID!, $on: Date!, $key: String!) { ${change}(id: $id, on: $on, idempotencyKey: $key, reason: "security suite") { id status } }`,
    { id: args.id, on: args.on, key, ...(ratify ? { m: args.municipality } : {}) },
    await bearer(r, registryAdmin),
  );
  if (res.errors) throw new Error(`${change} ${args.id} failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

export const officerOf = (municipality: string): TokenClaims => ({
  subject: `officer-${municipality.toLowerCase()}`,
  role: 'officer',
  municipality,
});

export async function bearer(r: InProcessRegion, claims: TokenClaims, purpose?: string) {
  return {
    authorization: `Bearer ${await r.token(claims)}`,
    ...(purpose ? { 'x-crossgate-purpose': purpose } : {}),
  };
}

/** The owning municipality's audit log, read straight from its database. */
export async function auditOf(r: InProcessRegion, code: string): Promise<AuditEntry[]> {
  const shard = r.shards.find((s) => s.spec.codes.includes(code));
  if (!shard) throw new Error(`no shard serves ${code}`);
  return (await shard.audit.readAll()).filter((e) => e.municipality === code);
}

export const holderOf = (code: string, index = 0) => {
  const holders = region.holders.filter((h) => h.municipality === code);
  const h = holders[index];
  if (!h) throw new Error(`seed has no holder ${index} in ${code}`);
  return h;
};

export const credentialOf = (code: string, index = 0) => {
  const c = region.credentials.filter((x) => x.municipality === code)[index];
  if (!c) throw new Error(`seed has no credential ${index} in ${code}`);
  return c;
};
