// npm start: the demo region as separate processes (registry, municipalities, gateway) on embedded
// databases under .data/ (plus a MariaDB one when MARIADB_URL is set), seeded on first start. A
// process that dies is restarted with backoff while the rest keeps serving; Ctrl-C stops them all.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DEMO_DATABASES,
  DEMO_PORTS,
  demoShape,
  MARIADB_MUNICIPALITY,
  mariadbDemoDatabase,
} from './region/demo';
import { DEMO_AUDIENCE, DEMO_ISSUER, ensureTrustMaterial, regionMemberKeys, trustPaths } from './region/keys';
import { sampleVerifications } from './region/samples';
import { discardHalfSeeded, isSeeded, markSeeded } from './region/seed-marker';
import { type Member, Supervisor } from './region/supervisor';
import { generateRegion } from './seed/region';

const ROOT = resolve(__dirname, '..');
const MARIADB_URL = process.env.MARIADB_URL;
/** A region with the MariaDB member is generated differently, so it keeps its own embedded data. */
const DATA = join(process.env.CROSSGATE_DATA_DIR ?? join(ROOT, '.data'), MARIADB_URL ? 'with-mariadb' : '');
/** Moves every demo port by the same amount (DEMO_PORT_BASE=5000 puts the gateway on 5000). */
const SHIFT = Number(process.env.DEMO_PORT_BASE ?? DEMO_PORTS.gateway) - DEMO_PORTS.gateway;
const port = (p: number) => String(p + SHIFT);

/** Which adapter and database each member runs on; a legacy register's audit log sits beside it. */
function databaseOf(code: string): Record<'ADAPTER' | 'DATABASE', string> & { AUDIT_DATABASE?: string } {
  const AUDIT_DATABASE = join(DATA, `municipality-${code}-audit`);
  if (code === MARIADB_MUNICIPALITY.code && MARIADB_URL) {
    return { ADAPTER: 'mariadb-register', DATABASE: mariadbDemoDatabase(MARIADB_URL), AUDIT_DATABASE };
  }
  const spec = DEMO_DATABASES[code];
  return spec
    ? { ADAPTER: spec.adapter, DATABASE: spec.database(DATA), AUDIT_DATABASE }
    : { ADAPTER: 'native', DATABASE: join(DATA, `municipality-${code}`) };
}
const LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
const supervisor = new Supervisor(ROOT);

async function stop(code = 0) {
  await supervisor.stop();
  process.exit(code);
}

/** Starts a seeding member, after discarding what a start cut off while seeding left behind. */
function startSeeding(member: Member, paths: readonly string[]) {
  const removed = discardHalfSeeded(DATA, member.name, paths);
  if (removed.length > 0) console.log(`${member.name}: its data was only partly seeded; seeding it again.`);
  supervisor.start(member);
}

async function main() {
  mkdirSync(DATA, { recursive: true });
  const keysDir = join(DATA, 'keys');
  await ensureTrustMaterial(keysDir);
  const firstStart = !isSeeded(DATA, 'registry');
  console.log(
    `Starting the Crossgate demo region${firstStart ? ' (first start seeds the databases; this takes a minute or more)' : ''}…`,
  );
  const codes = demoShape().municipalities.map((m) => m.code);
  // Each member's own key pair in its own folder; the registry admits their public keys at start.
  const memberKeys = regionMemberKeys(join(DATA, 'member-keys'), codes);
  const registryKeys = JSON.stringify(memberKeys.registryJwks);
  // The region's identity provider: the gateway, the registry and each municipality check callers' tokens against it.
  const identityProvider = {
    JWKS_FILE: trustPaths(keysDir).jwks,
    JWT_ISSUER: DEMO_ISSUER,
    JWT_AUDIENCE: DEMO_AUDIENCE,
  };
  const members = demoShape().municipalities.map((m) => {
    const p = port(DEMO_PORTS.municipalities[m.code] as number);
    return { code: m.code, port: p, url: `http://127.0.0.1:${p}` };
  });
  const registryUrl = `http://127.0.0.1:${port(DEMO_PORTS.registry)}`;
  const gatewayUrl = `http://127.0.0.1:${port(DEMO_PORTS.gateway)}`;
  const seeding: { member: Member; paths: string[] }[] = members.map((m) => {
    const db = databaseOf(m.code);
    return {
      member: {
        name: `municipality ${m.code}`,
        entry: 'scripts/region/demo-municipality.ts',
        readyUrl: `${m.url}/readyz`,
        env: {
          LOG_LEVEL,
          MUNICIPALITY: m.code,
          ...db,
          PORT: m.port,
          KEY_DIR: memberKeys.dirs.municipalities[m.code] as string,
          REGISTRY_KEYS: registryKeys,
          ...identityProvider,
          POLICY_DIR: join(ROOT, 'policies'),
          REGISTRY_URL: `${registryUrl}/graphql`,
          PUBLIC_GATEWAY_URL: gatewayUrl,
        },
      },
      paths: [db.DATABASE, ...(db.AUDIT_DATABASE ? [db.AUDIT_DATABASE] : [])],
    };
  });
  seeding.push({
    member: {
      name: 'registry',
      entry: 'scripts/region/demo-registry.ts',
      readyUrl: `${registryUrl}/readyz`,
      env: {
        LOG_LEVEL,
        DATABASE: join(DATA, 'registry'),
        PORT: port(DEMO_PORTS.registry),
        KEY_DIR: memberKeys.dirs.registry,
        MEMBER_KEYS: JSON.stringify(memberKeys.admitted),
        ...identityProvider,
        MEMBER_ENDPOINTS: JSON.stringify(
          members.map((m) => ({
            code: m.code,
            credentialsUrl: `${m.url}/credentials`,
            workforceUrl: `${m.url}/workforce`,
          })),
        ),
      },
    },
    paths: [join(DATA, 'registry')],
  });
  const gateway: Member = {
    name: 'gateway',
    entry: 'gateway/main.ts',
    readyUrl: `${gatewayUrl}/readyz`,
    env: {
      LOG_LEVEL,
      GATEWAY_PORT: port(DEMO_PORTS.gateway),
      REGISTRY_URL: `${registryUrl}/graphql`,
      ...identityProvider,
      KEY_DIR: memberKeys.dirs.gateway,
      REGISTRY_KEYS: registryKeys,
      // The demo's members come up while the gateway already runs: look for them often.
      MEMBERSHIP_REFRESH_MS: '3000',
    },
  };
  // Every process starts at once: each waits for what it needs and says so on /readyz.
  for (const { member, paths } of seeding) startSeeding(member, paths);
  supervisor.start(gateway);
  await Promise.all(
    seeding.map(async ({ member }) => {
      await supervisor.ready(member);
      if (!isSeeded(DATA, member.name)) markSeeded(DATA, member.name);
    }),
  );
  await supervisor.ready(gateway);
  console.log(`
Crossgate demo region is up.
  Gateway (GraphQL + IDE):  ${gatewayUrl}/graphql
  Registry subgraph:        ${registryUrl}/graphql
${members.map((m) => `  Municipality ${m.code} (${databaseOf(m.code).ADAPTER}): ${m.url}/credentials, ${m.url}/workforce`).join('\n')}

Callers authenticate with a bearer token; mint one per role (README, "Calling as each role"):
  npm run mint-token -- officer NB      # also: employer, analyst, registry_admin, auditor

Try these at the gateway (open the URL in a browser for the IDE):

  # 1. The region's members
  { municipalities { code name country } }

  # 2. Credentials across all three municipalities, with their regional standard
  { credentials(first: 5) { totalCount edges { node { id issuer { code } status
      qualification { title regionalStandard { code occupation { iscoCode title } } } } } } }

  # 3. Placements and the credential each worker used, wherever it was issued
  { placements(first: 5, municipalities: ["NB"]) { edges { node { id employer startDate
      credential { id issuer { name country } holder { displayName } } } } } }

  # 4. An employer verifies a presented credential and sees its recognition where the holder would work
  { verifyCredential(id: "<id>", code: "<code>", destination: "<municipality>") { valid status
      credential { issuer { name } holderName qualification { title regionalStandard { code } } }
      recognition { outcome reason measures { kind months hours level } basis { agreement { id title } clause } explanation } } }

  Seeded credentials to try it with (id, printed code, municipality asked about):
${sampleVerifications(generateRegion(demoShape()), new Date().toISOString().slice(0, 10))
  .map((s) => `    ${s.id.padEnd(11)} ${s.code}  in ${s.in}   ${s.shows}`)
  .join('\n')}

Press Ctrl-C to stop.`);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  void stop(1);
});
