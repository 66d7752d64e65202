// Gateway replicas behind a real HAProxy, sharing Redis: one caller's rate limit holds across them,
// a signed request replayed to another replica of a subgraph is refused, a replica stopped with
// SIGTERM under load costs no request, and one killed with SIGKILL costs at most those it held.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { request } from 'undici';
import { registryDirectory } from '../../common/directory-client';
import { MemberKeyring } from '../../common/member-keys';
import { RedisNonceCache } from '../../common/nonces';
import { signedForwarding } from '../../gateway/src/auth/forward';
import { DEMO_AUDIENCE, DEMO_ISSUER } from '../../scripts/region/keys';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import { ReleasePolicy, releaseEverything } from '../../subgraphs/municipal/policy/policy';
import { startMunicipalServer } from '../../subgraphs/municipal/server';
import { callerTokensOf } from '../support/callers';
import { type InProcessRegion, startRegion } from '../support/in-process';
import { startHaproxy } from './haproxy';
import { freePort, type Spawned, spawnEntry, waitForAnswer } from './processes';

const REDIS_URL = process.env.CROSSGATE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RATE_LIMIT = 60;
const region = generateRegion({
  seed: 23,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 15,
  placementsPerMunicipality: 15,
});

let r: InProcessRegion;
let jwksFile: string;
let redisPrefix: string;
let balancer: Spawned;
let lbUrl: string;
const replicaPorts: number[] = [];
const replicas: (Spawned | undefined)[] = [];

function startReplica(i: number): Spawned {
  const replica = spawnEntry('gateway/main.ts', {
    GATEWAY_PORT: String(replicaPorts[i]),
    REGISTRY_URL: r.registryUrl,
    JWKS_FILE: jwksFile,
    JWT_ISSUER: DEMO_ISSUER,
    JWT_AUDIENCE: DEMO_AUDIENCE,
    KEY_DIR: join(r.keys.root, 'gateway'),
    REGISTRY_KEYS: JSON.stringify({ keys: r.keys.registry.all().map((k) => k.publicJwk) }),
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    SHUTDOWN_GRACE_MS: '20000',
    LOG_LEVEL: 'warn',
  });
  replicas[i] = replica;
  return replica;
}

const readyz = (port: number | undefined) => `http://127.0.0.1:${port}/readyz`;

beforeAll(async () => {
  r = await startRegion({ region, today: '2026-11-01' });
  const dir = mkdtempSync(join(tmpdir(), 'crossgate-replicas-'));
  jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify(r.trust.jwks));
  redisPrefix = `crossgate-test:${randomUUID()}:`;
  replicaPorts.push(await freePort(), await freePort());
  const lbPort = await freePort();
  lbUrl = `http://127.0.0.1:${lbPort}`;
  startReplica(0);
  startReplica(1);
  await Promise.all(replicaPorts.map((p) => waitForAnswer(readyz(p), (s) => s === 200)));
  balancer = startHaproxy(lbPort, replicaPorts);
  await waitForAnswer(`${lbUrl}/readyz`, (s) => s === 200);
}, 420_000);
afterAll(async () => {
  for (const p of [...replicas, balancer]) if (p && p.child.exitCode === null) p.child.kill('SIGKILL');
  await r?.close();
});

interface Outcome {
  status: number | 'failed';
}

async function ask(token: string, query: string): Promise<Outcome> {
  try {
    const res = await request(`${lbUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    await res.body.text();
    return { status: res.statusCode };
  } catch {
    return { status: 'failed' };
  }
}

async function graphqlRequestsOn(port: number | undefined): Promise<number> {
  const text = await (await request(`http://127.0.0.1:${port}/metrics`)).body.text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('crossgate_http_requests_total{route="/graphql"'))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

describe('gateway replicas behind HAProxy', () => {
  it("hold one caller's rate limit across replicas (counted in Redis)", async () => {
    for (;;) {
      const token = await r.token({ subject: `rate-${randomUUID()}`, role: 'officer', municipality: 'NB' });
      const window = Math.floor(Date.now() / 60_000);
      const outcomes: Outcome[] = [];
      for (let i = 0; i < RATE_LIMIT + 10; i++)
        outcomes.push(await ask(token, '{ municipalities { code } }'));
      // A minute boundary in the middle resets the window: count again in one window.
      if (Math.floor(Date.now() / 60_000) !== window) continue;
      expect(outcomes.filter((o) => o.status === 200)).toHaveLength(RATE_LIMIT);
      expect(outcomes.filter((o) => o.status === 429)).toHaveLength(10);
      break;
    }
    expect(await graphqlRequestsOn(replicaPorts[0])).toBeGreaterThan(RATE_LIMIT / 4);
    expect(await graphqlRequestsOn(replicaPorts[1])).toBeGreaterThan(RATE_LIMIT / 4);
  });

  /** Callers send `perCaller` requests each, in parallel; `during` runs once `after` have answered. */
  async function underLoad(during: () => Promise<void>, after: number) {
    const callers = 6;
    const perCaller = 40;
    const tokens = await Promise.all(
      Array.from({ length: callers }, (_, i) =>
        r.token({ subject: `load-${i}-${randomUUID()}`, role: 'officer', municipality: 'NB' }),
      ),
    );
    let answered = 0;
    let inFlight = 0;
    let heldAtEvent = -1;
    let event: Promise<void> | undefined;
    const outcomes: Outcome[] = [];
    await Promise.all(
      tokens.map(async (token) => {
        for (let i = 0; i < perCaller; i++) {
          inFlight++;
          const outcome = await ask(token, '{ credentials(first: 3) { edges { node { id status } } } }');
          inFlight--;
          outcomes.push(outcome);
          if (++answered === after) {
            heldAtEvent = inFlight;
            event = during();
          }
        }
      }),
    );
    await event;
    return { outcomes, heldAtEvent };
  }

  it('lose no request when a replica drains on SIGTERM under load', async () => {
    const replica = replicas[0] as Spawned;
    let exit: { code: number | null } | undefined;
    const { outcomes } = await underLoad(async () => {
      replica.child.kill('SIGTERM');
      exit = await replica.exited;
    }, 40);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(outcomes).toHaveLength(240);
    expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);
    startReplica(0);
    await waitForAnswer(readyz(replicaPorts[0]), (s) => s === 200);
    await waitForAnswer(`${lbUrl}/readyz`, (s) => s === 200);
  }, 300_000);

  it('lose at most the requests a replica held when it is killed under load', async () => {
    const replica = replicas[1] as Spawned;
    const { outcomes, heldAtEvent } = await underLoad(async () => {
      replica.child.kill('SIGKILL');
      await replica.exited;
    }, 40);
    expect(heldAtEvent).toBeGreaterThanOrEqual(0);
    expect(outcomes).toHaveLength(240);
    const lost = outcomes.filter((o) => o.status !== 200);
    expect(lost.length).toBeLessThanOrEqual(heldAtEvent);
  }, 300_000);
});

describe('replicas of one subgraph sharing Redis', () => {
  it('refuse a signed request replayed to another replica', async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const shard = r.shards[0];
    if (!shard) throw new Error('the region has no shard');
    const code = shard.spec.codes[0] as string;
    const prefix = `crossgate-test:nonce:${randomUUID()}:`;
    // Two replicas of one member: its key folder, its address in the directory, one Redis for nonces.
    const keyring = MemberKeyring.open(r.keys.shardDirs[code] as string, code);
    const start = () =>
      startMunicipalServer({
        store: shard.store,
        trust: {
          keyring,
          directory: registryDirectory({
            registryUrl: () => r.registryUrl,
            keyring,
            registryKeys: r.keys.registry.all().map((k) => k.publicJwk),
            ttlMs: 30_000,
          }),
          nonces: new RedisNonceCache(redis, prefix),
          windowMs: 60_000,
          authenticate: callerTokensOf(),
          policies: [new ReleasePolicy(releaseEverything(code))],
          audit: shard.audit,
        },
      });
    const [a, b] = await Promise.all([start(), start()]);
    try {
      // Signed for the member's address in the directory; a balancer would pass it to either replica.
      const memberUrl = shard.server.credentialsUrl;
      const body = JSON.stringify({ query: '{ _service { sdl } }' });
      const headers = {
        'content-type': 'application/json',
        host: new URL(memberUrl).host,
        ...signedForwarding(r.keys.gateway)(memberUrl, body, undefined),
      };
      const first = await request(a.credentialsUrl, { method: 'POST', headers, body });
      expect(first.statusCode).toBe(200);
      await first.body.text();
      const replayed = await request(b.credentialsUrl, { method: 'POST', headers, body });
      expect(replayed.statusCode).toBe(401);
      const answer = (await replayed.body.json()) as {
        errors: { message: string; extensions: { code: string } }[];
      };
      expect(answer.errors[0]?.extensions.code).toBe('SIGNATURE_INVALID');
      expect(answer.errors[0]?.message).toMatch(/replayed/);
    } finally {
      await Promise.all([a.close(), b.close()]);
      redis.disconnect();
    }
  });
});
