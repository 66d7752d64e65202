// Process entry: a region for the domain workloads (registry + N municipalities, one process), printing
// its URLs as JSON. Env: MUNICIPALITIES, STORE (native|memory), DELAY_MS (memory store), HOLDERS,
// DATABASE_URL (a PostgreSQL server: the municipalities' native tables go to a scratch database there),
// SUBGRAPH_ALONE=1 (also serve the first municipality without the signature check, for comparison),
// PRESENTATION=1 (also a holder's SD-JWT VC presentation of a credential valid today, name withheld).
// SIGNATURES=off (every member takes calls unsigned and answers unsigned: see unsigned.ts).

import { createPublicKey } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { MemoryNonceCache } from '../../common/nonces';
import { StatementCounter } from '../../common/postgres';
import type { CredentialData, MunicipalityInfo } from '../../common/region-records';
import { generateTrustMaterial } from '../../scripts/region/keys';
import { generateRegion } from '../../scripts/seed/region';
import { createNativeAuditStore } from '../../subgraphs/municipal/adapters/native/audit';
import { ReleasePolicy, releaseEverything } from '../../subgraphs/municipal/policy/policy';
import { startMunicipalServer } from '../../subgraphs/municipal/server';
import { type InProcessRegion, type ShardSpec, startRegion } from '../../tests/support/in-process';
import { createMemoryAuditStore } from '../domain/memory-audit';
import { createMemoryStore } from '../domain/memory-store';
import { DOCUMENT_QUERY, presentationOf } from '../presentation/workload';
import { unsignedFromEnv, unsignedMembers } from './unsigned';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** N municipality codes: NB, SB, RV first (the demo's), then MA, MB, … */
export function municipalities(n: number): MunicipalityInfo[] {
  const demo: MunicipalityInfo[] = [
    { code: 'NB', name: 'Northbank', country: 'DE' },
    { code: 'SB', name: 'Southbank', country: 'PL' },
    { code: 'RV', name: 'Riverside', country: 'CZ' },
  ];
  const more = Array.from({ length: Math.max(0, n - demo.length) }, (_, i) => ({
    code: `M${LETTERS[i % 26]}`,
    name: `Municipality ${i + 4}`,
    country: 'DE',
  }));
  return [...demo, ...more].slice(0, n);
}

async function main() {
  const env = process.env;
  const n = Number(env.MUNICIPALITIES ?? 1);
  const store = env.STORE ?? 'native';
  const delayMs = Number(env.DELAY_MS ?? 0);
  const region = generateRegion({
    seed: 2026,
    municipalities: municipalities(n),
    holdersPerMunicipality: Number(env.HOLDERS ?? 300),
    placementsPerMunicipality: Number(env.HOLDERS ?? 300),
    crossBorderShare: 0.4,
  });
  // Every statement counts, the owners' audit appends included.
  const registryCounter = new StatementCounter({ withAudit: true });
  const serverUrl = env.DATABASE_URL;
  const unsigned = unsignedFromEnv(env);
  const scratch = serverUrl
    ? await scratchDatabase(
        serverUrl,
        unsigned ? 'crossgate_bench_scratch_unsigned' : 'crossgate_bench_scratch',
      )
    : null;
  const shards: ShardSpec[] = region.municipalities.map((m) =>
    store === 'memory'
      ? {
          codes: [m.code],
          store: async () => createMemoryStore(region, [m.code], delayMs),
          audit: async () => createMemoryAuditStore(),
        }
      : { codes: [m.code], connection: scratch ? { kind: 'postgres', url: scratch.url } : undefined },
  );
  if (scratch && shards.length > 1) throw new Error('DATABASE_URL takes one municipality');
  const material = await generateTrustMaterial();
  const running = await startRegion({
    region,
    registryCounter,
    countAuditStatements: true,
    shards,
    trust: { material, ...(unsigned ? { verifier: unsignedMembers() } : {}) },
  });
  const first = running.shards[0];
  const firstCode = region.municipalities[0]?.code ?? 'NB';
  // The first municipality once more, without the gateway's signature check: "the subgraph alone".
  const alone =
    first?.handle && env.SUBGRAPH_ALONE === '1'
      ? await startMunicipalServer({
          store: first.store,
          trust: {
            keyring: first.keyring,
            directory: {
              signerKey: async () => null,
              authoritiesOf: async () => [],
              eventEndpointOf: async () => null,
            },
            nonces: new MemoryNonceCache(),
            windowMs: 60_000,
            authenticate: running.callerTokens(),
            verifier: async () => ({
              ok: true,
              signer: {
                kid: first.keyring.current.kid,
                role: 'gateway',
                members: ['bench'],
                publicKey: createPublicKey(first.keyring.current.privateKey),
                notBefore: 0,
                notAfter: null,
              },
            }),
            policies: [new ReleasePolicy(releaseEverything(firstCode))],
            audit: await createNativeAuditStore(first.handle),
          },
        })
      : null;
  const token = await running.token(
    { subject: 'bench', role: 'officer', municipality: firstCode },
    { ttlSec: 3600 },
  );
  const stop = async () => {
    await scratch?.drop().catch((e) => console.error(e));
    await running.close().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  registryCounter.reset();
  const statements = () =>
    registryCounter.count + running.shards.reduce((sum, s) => sum + s.counter.count, 0);
  // `/status-fetches`: status lists served by the issuers (to a gateway); any other path: SQL statements.
  const stats = createServer(async (req, res) =>
    res.end(String(req.url === '/status-fetches' ? await statusFetches(running) : statements())),
  );
  await new Promise<void>((resolve) => stats.listen(0, '127.0.0.1', resolve));
  const credential = region.credentials.find((c) => c.status === 'ACTIVE');
  const presented = env.PRESENTATION === '1' ? await presentation(running, region.credentials) : null;
  process.stdout.write(
    `${JSON.stringify({
      ready: true,
      registryUrl: running.registryUrl,
      credentialsUrl: alone?.credentialsUrl ?? null,
      jwks: material.jwks,
      gatewayKeyDir: join(running.keys.root, 'gateway'),
      registryKeys: { keys: running.keys.registry.all().map((k) => k.publicJwk) },
      token,
      statsUrl: `http://127.0.0.1:${(stats.address() as AddressInfo).port}/`,
      credentialId: credential ? `${credential.municipality}:${credential.localId}` : null,
      credentialCode: credential?.verificationCode ?? null,
      verifyIn:
        region.municipalities.find((m) => m.code !== credential?.municipality)?.code ??
        credential?.municipality ??
        null,
      codes: region.municipalities.map((m) => m.code),
      presented,
    })}\n`,
  );
}

/**
 * A credential valid today as its holder presents it: the SD-JWT VC its issuer signed (asked by an
 * officer of the issuer through the region's gateway), without the name disclosure; with what
 * the code-based verification of the same credential needs, and a destination of another municipality.
 */
async function presentation(running: InProcessRegion, credentials: readonly CredentialData[]) {
  const today = new Date().toISOString().slice(0, 10);
  const codes = [...new Set(credentials.map((c) => c.municipality))];
  const credential = credentials.find(
    (c) =>
      c.status === 'ACTIVE' &&
      c.validFrom <= today &&
      (c.validUntil === null || c.validUntil >= today) &&
      codes.some((m) => m !== c.municipality),
  );
  if (!credential) throw new Error('the region has no credential valid today to present');
  const officer = await running.token(
    { subject: 'bench-issuer', role: 'officer', municipality: credential.municipality },
    { ttlSec: 3600 },
  );
  const credentialId = `${credential.municipality}:${credential.localId}`;
  const issued = await running.query(
    DOCUMENT_QUERY,
    { id: credentialId },
    { authorization: `Bearer ${officer}` },
  );
  const document = (issued.data?.credentialDocument as { document?: string } | undefined)?.document;
  if (!document) throw new Error(`no credential document: ${JSON.stringify(issued.errors)}`);
  return {
    presentation: presentationOf(document, (claim) => claim !== 'name'),
    credentialId,
    credentialCode: credential.verificationCode,
    verifyIn: codes.find((m) => m !== credential.municipality) as string,
  };
}

/** How many status lists the issuers served since start (their request counters). */
async function statusFetches(running: InProcessRegion): Promise<number> {
  let total = 0;
  for (const shard of running.shards) {
    const counter = shard.metrics.registry.getSingleMetric('crossgate_http_requests_total');
    const { values } = (await counter?.get()) ?? { values: [] };
    for (const v of values) if (/^\/issuer\/[A-Z]+\/status\//.test(String(v.labels.route))) total += v.value;
  }
  return total;
}

/** A fresh database `name` on the server (one benchmark at a time), dropped when the region stops. */
async function scratchDatabase(
  serverUrl: string,
  name: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
