// Health and shutdown: the drain lets requests in flight finish and takes no new ones; a gateway
// and a municipality start while the registry is down, serve, say so on /readyz, become ready when
// it comes up, and exit 0 on SIGTERM; bad requests get 400 and 413, never 500 or a reset.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { type RunningServer, serveRoutes } from '../../common/http';
import { KeyDirectory } from '../../common/key-directory';
import { MemberKeyring } from '../../common/member-keys';
import { MemoryNonceCache } from '../../common/nonces';
import { openPostgres, type PgHandle } from '../../common/postgres';
import {
  DEMO_AUDIENCE,
  DEMO_ISSUER,
  generateTrustMaterial,
  type RegionMemberKeys,
  regionMemberKeys,
  type TrustMaterial,
} from '../../scripts/region/keys';
import { demoRegistrySeed } from '../../scripts/seed/agreements';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import { openNativeStore } from '../../subgraphs/municipal/adapters/native';
import { createNativeAuditStore } from '../../subgraphs/municipal/adapters/native/audit';
import { createNativeTables } from '../../subgraphs/municipal/adapters/native/seed';
import { ReleasePolicy, releaseEverything } from '../../subgraphs/municipal/policy/policy';
import { startMunicipalServer } from '../../subgraphs/municipal/server';
import { createRegistryTables, seedRegistry } from '../../subgraphs/registry/seed';
import { startRegistryServer } from '../../subgraphs/registry/server';
import { createRegistryStore } from '../../subgraphs/registry/store';
import { callerTokensOf } from '../support/callers';
import { freePort, type Spawned, spawnEntry, waitForAnswer, waitForOutput } from './processes';

describe('draining a server', () => {
  it('finishes the request in flight, refuses new connections, and resolves with nothing cut', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let arrived: () => void = () => undefined;
    const inRoute = new Promise<void>((r) => {
      arrived = r;
    });
    const server = await serveRoutes(
      {
        '/slow': async (_req, res) => {
          arrived();
          await held;
          res.end('done');
        },
      },
      { port: 0 },
    );
    const inFlight = request(`${server.url}/slow`);
    await inRoute;
    const drained = server.drain(60_000);
    await expect(request(`${server.url}/livez`)).rejects.toThrow();
    release();
    const answer = await inFlight;
    expect(answer.statusCode).toBe(200);
    expect(answer.headers.connection).toBe('close');
    expect(await answer.body.text()).toBe('done');
    expect(await drained).toEqual({ unfinished: 0 });
  });

  it('stops waiting after the grace period and says how many requests were cut', async () => {
    let arrived: () => void = () => undefined;
    const inRoute = new Promise<void>((r) => {
      arrived = r;
    });
    const server: RunningServer = await serveRoutes(
      {
        '/stuck': async () => {
          arrived();
          await new Promise(() => undefined);
        },
      },
      { port: 0 },
    );
    const stuck = request(`${server.url}/stuck`).catch((e: Error) => e);
    await inRoute;
    expect(await server.drain(200)).toEqual({ unfinished: 1 });
    expect(await stuck).toBeInstanceOf(Error);
  });
});

describe('a municipality', () => {
  it('is ready only while its database answers', async () => {
    const handle = await openPostgres({ kind: 'pglite' });
    await createNativeTables(handle);
    const keyDir = mkdtempSync(join(tmpdir(), 'crossgate-ready-'));
    const server = await startMunicipalServer({
      store: await openNativeStore(handle, ['NB']),
      trust: {
        keyring: MemberKeyring.open(keyDir, 'NB'),
        directory: new KeyDirectory({
          ttlMs: 30_000,
          load: async () => ({ issuedAt: '', keys: [], addresses: [] }),
        }),
        nonces: new MemoryNonceCache(),
        windowMs: 60_000,
        authenticate: callerTokensOf(),
        policies: [new ReleasePolicy(releaseEverything('NB'))],
        audit: await createNativeAuditStore(handle),
      },
    });
    try {
      const ready = await request(`${server.url}/readyz`);
      expect(ready.statusCode).toBe(200);
      expect(await ready.body.json()).toEqual({ status: 'ready', checks: { database: { ok: true } } });
      await handle.close();
      const closed = await request(`${server.url}/readyz`);
      expect(closed.statusCode).toBe(503);
      const body = (await closed.body.json()) as { checks: { database: { ok: boolean } } };
      expect(body.checks.database.ok).toBe(false);
      expect((await request(`${server.url}/livez`)).statusCode).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('processes started before the registry', () => {
  let trust: TrustMaterial;
  let keys: RegionMemberKeys;
  let registryPort: number;
  let gateway: Spawned;
  let municipality: Spawned;
  let gatewayUrl: string;
  let municipalUrl: string;
  let registryHandle: PgHandle | undefined;
  let registry: RunningServer | undefined;

  beforeAll(async () => {
    trust = await generateTrustMaterial();
    const dir = mkdtempSync(join(tmpdir(), 'crossgate-start-order-'));
    keys = regionMemberKeys(join(dir, 'member-keys'), ['NB']);
    const jwks = join(dir, 'jwks.json');
    writeFileSync(jwks, JSON.stringify(trust.jwks));
    writeFileSync(join(dir, 'NB.json'), JSON.stringify(releaseEverything('NB')));
    const [r, g, m] = await Promise.all([freePort(), freePort(), freePort()]);
    registryPort = r;
    gatewayUrl = `http://127.0.0.1:${g}`;
    municipalUrl = `http://127.0.0.1:${m}`;
    const registryUrl = `http://127.0.0.1:${registryPort}/graphql`;
    gateway = spawnEntry('gateway/main.ts', {
      GATEWAY_PORT: String(g),
      REGISTRY_URL: registryUrl,
      JWKS_FILE: jwks,
      JWT_ISSUER: DEMO_ISSUER,
      JWT_AUDIENCE: DEMO_AUDIENCE,
      KEY_DIR: keys.dirs.gateway,
      REGISTRY_KEYS: JSON.stringify(keys.registryJwks),
      MEMBERSHIP_RETRY_INITIAL_MS: '200',
      MEMBERSHIP_RETRY_MAX_MS: '1000',
      SHARD_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'info',
    });
    municipality = spawnEntry('subgraphs/municipal/main.ts', {
      MUNICIPALITY: 'NB',
      DATABASE: join(dir, 'nb'),
      PORT: String(m),
      KEY_DIR: keys.dirs.municipalities.NB as string,
      REGISTRY_KEYS: JSON.stringify(keys.registryJwks),
      JWKS_FILE: jwks,
      JWT_ISSUER: DEMO_ISSUER,
      JWT_AUDIENCE: DEMO_AUDIENCE,
      POLICY_DIR: dir,
      REGISTRY_URL: registryUrl,
      LOG_LEVEL: 'info',
    });
  });
  afterAll(async () => {
    for (const p of [gateway, municipality]) if (p?.child.exitCode === null) p.child.kill('SIGKILL');
    await registry?.close();
    await registryHandle?.close();
  });

  it('start, serve and report what they wait for while the registry is down', async () => {
    await waitForAnswer(`${gatewayUrl}/livez`, (s) => s === 200);
    const notReady = await waitForAnswer(`${gatewayUrl}/readyz`, (s) => s === 503);
    const checks = JSON.parse(notReady.body).checks;
    expect(checks.membership.ok).toBe(false);
    expect(checks.membership.detail).toMatch(/waiting for the registry/);
    expect(checks.supergraph.ok).toBe(true);
    expect(checks.keys.ok).toBe(true);
    await waitForOutput(gateway, /retrying/);
    // A registry field answers with its coded error; the gateway itself stays up.
    const members = await request(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ municipalities { code } }' }),
    });
    const answer = (await members.body.json()) as { errors: { extensions: { code: string } }[] };
    expect(['REGISTRY_UNAVAILABLE', 'REGISTRY_TIMEOUT']).toContain(answer.errors[0]?.extensions.code);
    // The municipality needs the registry only for partner-gated fields: it is ready.
    await waitForAnswer(`${municipalUrl}/readyz`, (s) => s === 200);
  }, 300_000);

  it('answers a syntax error and a token flood with 400, and a 5 MB body with 413 every time', async () => {
    const post = (body: string) =>
      request(`${gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const syntax = await post(JSON.stringify({ query: '{ municipalities { code ' }));
    expect(syntax.statusCode).toBe(400);
    expect(
      ((await syntax.body.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions
        .code,
    ).toBe('GRAPHQL_PARSE_FAILED');
    const flood = await post(JSON.stringify({ query: `{ municipalities { ${'code '.repeat(3000)} } }` }));
    expect(flood.statusCode).toBe(400);
    expect(
      ((await flood.body.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions
        .code,
    ).toBe('GRAPHQL_PARSE_FAILED');
    const huge = JSON.stringify({ query: `{ municipalities { code } } #${'x'.repeat(5 * 1024 * 1024)}` });
    for (let i = 0; i < 3; i++) {
      const res = await post(huge);
      expect(res.statusCode).toBe(413);
      expect(
        ((await res.body.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions
          .code,
      ).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('become ready once the registry comes up, and exit 0 on SIGTERM', async () => {
    registryHandle = await openPostgres({ kind: 'pglite' });
    await createRegistryTables(registryHandle);
    const region = generateRegion({
      seed: 3,
      municipalities: DEMO_MUNICIPALITIES.slice(0, 1),
      holdersPerMunicipality: 5,
      placementsPerMunicipality: 5,
    });
    await seedRegistry(registryHandle, demoRegistrySeed(region), [
      {
        code: 'NB',
        credentialsUrl: `${municipalUrl}/credentials`,
        workforceUrl: `${municipalUrl}/workforce`,
      },
    ]);
    registry = await startRegistryServer({
      store: createRegistryStore(registryHandle.db),
      port: registryPort,
      trust: {
        keyring: MemberKeyring.open(keys.dirs.registry, 'registry'),
        nonces: new MemoryNonceCache(),
        windowMs: 60_000,
        authenticate: callerTokensOf(trust),
        directoryTtlMs: 30_000,
        admit: keys.admitted,
      },
    });
    const ready = await waitForAnswer(`${gatewayUrl}/readyz`, (s) => s === 200);
    expect(JSON.parse(ready.body).checks.membership).toEqual({ ok: true });
    await waitForOutput(gateway, /member list loaded/);
    gateway.child.kill('SIGTERM');
    municipality.child.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(await municipality.exited).toEqual({ code: 0, signal: null });
  });
});
