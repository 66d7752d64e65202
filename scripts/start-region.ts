// npm start: the demo region as separate processes (registry, municipalities, gateway) on embedded
// databases under .data/ (plus a MariaDB one when MARIADB_URL is set), seeded on first start.
// Ctrl-C stops them all.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DEMO_DATABASES,
  DEMO_PORTS,
  demoShape,
  MARIADB_MUNICIPALITY,
  mariadbDemoDatabase,
} from './region/demo';
import { DEMO_AUDIENCE, DEMO_ISSUER, ensureTrustMaterial, trustPaths } from './region/keys';
import { sampleVerifications } from './region/samples';
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
const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

function launch(name: string, entry: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, entry)], {
    env: { ...process.env, LOG_LEVEL, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`\n${name} exited (code ${code}); stopping the region.`);
      void stop(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function waitFor(url: string, name: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not become ready at ${url}`);
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 5000).unref();
        }),
    ),
  );
  process.exit(code);
}

async function main() {
  mkdirSync(DATA, { recursive: true });
  const keysDir = join(DATA, 'keys');
  const trust = await ensureTrustMaterial(keysDir);
  console.log('Starting the Crossgate demo region (first start seeds the databases; this takes a minute)…');
  const members = demoShape().municipalities.map((m) => {
    const p = port(DEMO_PORTS.municipalities[m.code] as number);
    return { code: m.code, port: p, url: `http://127.0.0.1:${p}` };
  });
  const registryUrl = `http://127.0.0.1:${port(DEMO_PORTS.registry)}`;
  for (const m of members) {
    launch(`municipality ${m.code}`, 'scripts/region/demo-municipality.ts', {
      MUNICIPALITY: m.code,
      ...databaseOf(m.code),
      PORT: m.port,
      SUBGRAPH_SECRET: trust.subgraphSecret,
      POLICY_DIR: join(ROOT, 'policies'),
      REGISTRY_URL: `${registryUrl}/graphql`,
    });
  }
  launch('registry', 'scripts/region/demo-registry.ts', {
    DATABASE: join(DATA, 'registry'),
    PORT: port(DEMO_PORTS.registry),
    SUBGRAPH_SECRET: trust.subgraphSecret,
    MEMBER_ENDPOINTS: JSON.stringify(
      members.map((m) => ({
        code: m.code,
        credentialsUrl: `${m.url}/credentials`,
        workforceUrl: `${m.url}/workforce`,
      })),
    ),
  });
  await Promise.all([
    ...members.map((m) => waitFor(`${m.url}/health`, `municipality ${m.code}`)),
    waitFor(`${registryUrl}/health`, 'registry'),
  ]);
  launch('gateway', 'gateway/main.ts', {
    GATEWAY_PORT: port(DEMO_PORTS.gateway),
    REGISTRY_URL: `${registryUrl}/graphql`,
    JWKS_FILE: trustPaths(keysDir).jwks,
    JWT_ISSUER: DEMO_ISSUER,
    JWT_AUDIENCE: DEMO_AUDIENCE,
    SUBGRAPH_SECRET: trust.subgraphSecret,
  });
  const gatewayUrl = `http://127.0.0.1:${port(DEMO_PORTS.gateway)}`;
  await waitFor(`${gatewayUrl}/health`, 'gateway');
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
