// Reload without restart: a real gateway and a real municipality, under a steady stream of requests,
// pick up a new supergraph (its new field becomes queryable), refuse a broken one and one that
// removes a field in use (the running one stays), and apply a new release policy and partner list;
// not one request of the stream fails, and each outcome shows on /readyz and /metrics.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { RunningServer } from '../../common/http';
import { MemberKeyring } from '../../common/member-keys';
import { MemoryNonceCache } from '../../common/nonces';
import { openPostgres, type PgHandle, pgConnectionOf } from '../../common/postgres';
import { composeContract, readContract, readSupergraph } from '../../schema/contract';
import {
  DEMO_AUDIENCE,
  DEMO_ISSUER,
  generateTrustMaterial,
  mintToken,
  type RegionMemberKeys,
  regionMemberKeys,
  type TokenClaims,
  type TrustMaterial,
} from '../../scripts/region/keys';
import { demoRegistrySeed } from '../../scripts/seed/agreements';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import { createNativeTables, seedNative } from '../../subgraphs/municipal/adapters/native/seed';
import type { PolicyFile } from '../../subgraphs/municipal/policy/policy';
import { createRegistryTables, seedRegistry } from '../../subgraphs/registry/seed';
import { startRegistryServer } from '../../subgraphs/registry/server';
import { createRegistryStore } from '../../subgraphs/registry/store';
import { callerTokensOf } from '../support/callers';
import { freePort, type Spawned, spawnEntry, waitForAnswer } from './processes';

/** Generous bounds: the machine is shared, and processes compile and start side by side. */
const START_MS = 400_000;
const CHANGE_MS = 180_000;

const region = generateRegion({
  seed: 17,
  municipalities: DEMO_MUNICIPALITIES.slice(0, 1),
  holdersPerMunicipality: 8,
  placementsPerMunicipality: 8,
});
const credential = region.credentials[0];
const holder = region.holders[0];

/** The contract as it was before `Credential.history` was added: the supergraph the gateway starts on. */
function contractWithoutHistory(): string {
  const sdls = readContract();
  const withoutHistory = sdls.credentials.replace(
    /\n\s*"""\n\s*Every write to the credential[\s\S]*?"""\n\s*history: \[RecordEvent!\]![^\n]*/,
    '',
  );
  if (withoutHistory === sdls.credentials) throw new Error('Credential.history not found in the contract');
  const composed = composeContract({ ...sdls, credentials: withoutHistory });
  if (!composed.ok) throw new Error(composed.errors.join('\n'));
  return composed.supergraphSdl;
}

/** Northbank's policy: holders to its own officers only, or also to its partners' with a purpose. */
function northbankPolicy(partners: string[]): PolicyFile {
  const holders = [
    { roles: ['officer' as const], from: 'home' as const, purpose: 'never' as const },
    ...(partners.length > 0
      ? [{ roles: ['officer' as const], from: 'partners' as const, purpose: 'cross-border' as const }]
      : []),
  ];
  return {
    municipality: 'NB',
    partners,
    fields: { 'Holder.*': holders, 'Query.holder': holders },
    default: [
      {
        roles: ['officer', 'analyst', 'auditor', 'registry_admin', 'employer'],
        from: 'any',
        purpose: 'never',
      },
    ],
  };
}

interface Answer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

let trust: TrustMaterial;
let keys: RegionMemberKeys;
let dir: string;
let gatewayUrl: string;
let municipalUrl: string;
let gateway: Spawned;
let municipality: Spawned;
let registryHandle: PgHandle;
let registry: RunningServer;
const supergraphFile = () => join(dir, 'supergraph.graphql');

/** Replaces a file whole (written beside it, then renamed), as a deployment swaps a config file. */
function replaceFile(path: string, text: string) {
  writeFileSync(`${path}.next`, text);
  renameSync(`${path}.next`, path);
}

async function tokenFor(claims: TokenClaims) {
  return mintToken(trust.privateJwk, claims, { ttlSec: 3600 });
}

async function ask(query: string, headers: Record<string, string>): Promise<Answer> {
  const res = await request(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Answer['body'] };
}

/** Asks until `accept` holds for the answer; fails with the last answer after a generous bound. */
async function askUntil(query: string, headers: Record<string, string>, accept: (a: Answer) => boolean) {
  const deadline = Date.now() + CHANGE_MS;
  let last: Answer | undefined;
  while (Date.now() < deadline) {
    last = await ask(query, headers);
    if (accept(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`never got the awaited answer; last: ${JSON.stringify(last)}`);
}

/** The value of crossgate_reloads_total{kind,outcome} on a process's /metrics (0 when absent). */
async function reloads(baseUrl: string, kind: string, outcome: string): Promise<number> {
  const text = await (await request(`${baseUrl}/metrics`)).body.text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('crossgate_reloads_total{') &&
        l.includes(`kind="${kind}"`) &&
        l.includes(`outcome="${outcome}"`),
    );
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

async function reloadsReach(baseUrl: string, kind: string, outcome: string, count: number) {
  await waitForAnswer(
    `${baseUrl}/metrics`,
    (s, body) =>
      s === 200 &&
      new RegExp(
        `crossgate_reloads_total\\{[^}]*kind="${kind}"[^}]*outcome="${outcome}"[^}]*\\} ${count}\\b`,
      ).test(body),
    CHANGE_MS,
  );
}

/** Requests sent back to back on a few lanes until stopped; every answer that is not a clean 200 is kept. */
function steadyStream(lanes: { query: string; headers: Record<string, string> }[]) {
  let running = true;
  let sent = 0;
  const failures: string[] = [];
  const loops = lanes.map(async (lane) => {
    while (running) {
      try {
        const answer = await ask(lane.query, lane.headers);
        if (answer.status !== 200 || answer.body.errors)
          failures.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      } catch (e) {
        failures.push((e as Error).message);
      }
      sent++;
    }
  });
  return {
    sent: () => sent,
    async stop() {
      running = false;
      await Promise.all(loops);
      return { sent, failures };
    },
  };
}

beforeAll(
  async () => {
    trust = await generateTrustMaterial();
    dir = mkdtempSync(join(tmpdir(), 'crossgate-reload-'));
    keys = regionMemberKeys(join(dir, 'member-keys'), ['NB']);
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify(trust.jwks));
    writeFileSync(join(dir, 'NB.json'), JSON.stringify(northbankPolicy([])));
    writeFileSync(supergraphFile(), contractWithoutHistory());
    const nbDatabase = join(dir, 'nb');
    const nb = await openPostgres(pgConnectionOf(nbDatabase));
    await createNativeTables(nb);
    await seedNative(nb, region, ['NB']);
    await nb.close();
    const [r, g, m] = await Promise.all([freePort(), freePort(), freePort()]);
    gatewayUrl = `http://127.0.0.1:${g}`;
    municipalUrl = `http://127.0.0.1:${m}`;
    registryHandle = await openPostgres({ kind: 'pglite' });
    await createRegistryTables(registryHandle);
    await seedRegistry(registryHandle, demoRegistrySeed(region), [
      {
        code: 'NB',
        credentialsUrl: `${municipalUrl}/credentials`,
        workforceUrl: `${municipalUrl}/workforce`,
      },
    ]);
    registry = await startRegistryServer({
      store: createRegistryStore(registryHandle.db),
      port: r,
      trust: {
        keyring: MemberKeyring.open(keys.dirs.registry, 'registry'),
        nonces: new MemoryNonceCache(),
        windowMs: 60_000,
        authenticate: callerTokensOf(trust),
        directoryTtlMs: 30_000,
        admit: keys.admitted,
      },
    });
    municipality = spawnEntry('subgraphs/municipal/main.ts', {
      MUNICIPALITY: 'NB',
      DATABASE: nbDatabase,
      PORT: String(m),
      KEY_DIR: keys.dirs.municipalities.NB as string,
      REGISTRY_KEYS: JSON.stringify(keys.registryJwks),
      JWKS_FILE: join(dir, 'jwks.json'),
      JWT_ISSUER: DEMO_ISSUER,
      JWT_AUDIENCE: DEMO_AUDIENCE,
      REGISTRY_URL: `http://127.0.0.1:${r}/graphql`,
      POLICY_DIR: dir,
      POLICY_POLL_MS: '200',
      LOG_LEVEL: 'info',
    });
    gateway = spawnEntry('gateway/main.ts', {
      GATEWAY_PORT: String(g),
      REGISTRY_URL: `http://127.0.0.1:${r}/graphql`,
      JWKS_FILE: join(dir, 'jwks.json'),
      JWT_ISSUER: DEMO_ISSUER,
      JWT_AUDIENCE: DEMO_AUDIENCE,
      KEY_DIR: keys.dirs.gateway,
      REGISTRY_KEYS: JSON.stringify(keys.registryJwks),
      SUPERGRAPH_FILE: supergraphFile(),
      SUPERGRAPH_POLL_MS: '200',
      MEMBERSHIP_REFRESH_MS: '1000',
      // Slowness of a loaded machine is not what this test is about: no timeout or limit may cut the stream.
      SHARD_TIMEOUT_MS: '60000',
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'info',
    });
    await waitForAnswer(`${municipalUrl}/readyz`, (s) => s === 200, START_MS);
    await waitForAnswer(`${gatewayUrl}/readyz`, (s) => s === 200, START_MS);
  },
  START_MS * 2 + 60_000,
);

afterAll(async () => {
  for (const p of [gateway, municipality]) if (p?.child.exitCode === null) p.child.kill('SIGKILL');
  await registry?.close();
  await registryHandle?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('reload without restart, under a steady stream of requests', () => {
  it('applies a good supergraph and policy, rolls back bad ones, and fails no request', async () => {
    if (!credential || !holder) throw new Error('the generated region has no NB credential or holder');
    const officerNB = {
      authorization: `Bearer ${await tokenFor({ subject: 'o-nb', role: 'officer', municipality: 'NB' })}`,
    };
    const officerSB = {
      authorization: `Bearer ${await tokenFor({ subject: 'o-sb', role: 'officer', municipality: 'SB' })}`,
      'x-crossgate-purpose': 'cross-border hiring check',
    };
    const historyQuery = `{ credential(id: "NB:${credential.localId}") { id history { operation } } }`;
    const holderQuery = `{ holder(id: "NB:${holder.localId}") { displayName } }`;

    // The gateway admits Northbank once its subgraphs answer (it may have started first).
    const listQuery = '{ credentials(first: 3) { edges { node { id status validFrom } } } }';
    await askUntil(listQuery, officerNB, (a) => a.status === 200 && !a.body.errors);

    // Before: the running contract has no Credential.history; Northbank keeps holders to itself.
    const before = await ask(historyQuery, officerNB);
    expect(before.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Northbank's first look-up of its partners may still be on its way to the registry on a busy machine.
    const refused = await askUntil(
      holderQuery,
      officerSB,
      (a) => a.body.errors?.[0]?.extensions?.code !== 'MUNICIPALITY_UNAVAILABLE',
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const stream = steadyStream([
      { query: listQuery, headers: officerNB },
      { query: '{ municipalities { code name } }', headers: officerNB },
      {
        query: `{ credential(id: "NB:${credential.localId}") { id status issuer { code } } }`,
        headers: officerNB,
      },
    ]);

    // A good supergraph: the new field becomes queryable without a restart.
    replaceFile(supergraphFile(), readSupergraph());
    const after = await askUntil(historyQuery, officerNB, (a) => a.status === 200 && !a.body.errors);
    expect(after.body.data?.credential).toEqual(expect.objectContaining({ history: expect.any(Array) }));
    await reloadsReach(gatewayUrl, 'supergraph', 'applied', 1);

    // A broken file (cut off half-way) is rolled back: the running supergraph stays.
    const full = readSupergraph();
    replaceFile(supergraphFile(), full.slice(0, Math.floor(full.length / 2)));
    await reloadsReach(gatewayUrl, 'supergraph', 'rolled_back', 1);
    // The old contract again: it removes Credential.history, which is in use now, so it is refused.
    replaceFile(supergraphFile(), contractWithoutHistory());
    await reloadsReach(gatewayUrl, 'supergraph', 'rolled_back', 2);
    const kept = await ask(historyQuery, officerNB);
    expect([kept.status, kept.body.errors]).toEqual([200, undefined]);
    const ready = JSON.parse((await waitForAnswer(`${gatewayUrl}/readyz`, (s) => s === 200)).body);
    expect(ready.checks.reload.ok).toBe(true);
    expect(ready.checks.reload.detail).toMatch(
      /supergraph from file .* rolled back .*Credential\.history was removed/,
    );
    expect(await reloads(gatewayUrl, 'supergraph', 'applied')).toBe(1);

    // A new policy and partner list: Southbank's officers, with a purpose, now see Northbank's holders.
    replaceFile(join(dir, 'NB.json'), JSON.stringify(northbankPolicy(['SB']), null, 2));
    const released = await askUntil(holderQuery, officerSB, (a) => a.status === 200 && !a.body.errors);
    expect(released.body.data?.holder).toEqual({ displayName: holder.displayName });
    await reloadsReach(municipalUrl, 'policy', 'applied', 1);
    await reloadsReach(municipalUrl, 'partners', 'applied', 1);
    // A policy that does not validate is rolled back; the one in force stays.
    replaceFile(
      join(dir, 'NB.json'),
      JSON.stringify({ municipality: 'NB', fields: { 'not a coordinate': [] } }),
    );
    await reloadsReach(municipalUrl, 'policy', 'rolled_back', 1);
    const still = await ask(holderQuery, officerSB);
    expect([still.status, still.body.errors]).toEqual([200, undefined]);
    const municipalReady = JSON.parse((await waitForAnswer(`${municipalUrl}/readyz`, (s) => s === 200)).body);
    expect(municipalReady.checks.reload.detail).toMatch(/policy from file NB\.json rolled back/);

    const { sent, failures } = await stream.stop();
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(10);
  }, 900_000);
});
