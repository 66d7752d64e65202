// Bad input gets a clear error and no leak: operation limits, body size, introspection, field
// suggestions, injection strings in every argument, per-caller rate limits and persisted operations.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { getIntrospectionQuery, type InputValueDefinitionNode, Kind, parse, print } from 'graphql';
import Redis from 'ioredis';
import type { GatewayConfigInput } from '../../gateway/src/config';
import { GatewayConfigSchema } from '../../gateway/src/config';
import { operationHash } from '../../gateway/src/limits/persisted';
import { memoryRateLimiter } from '../../gateway/src/limits/rate-limit';
import { startGateway } from '../../gateway/src/server';
import { readSupergraph } from '../../schema/contract';
import { DEMO_AUDIENCE, DEMO_ISSUER } from '../../scripts/region/keys';
import { type InProcessRegion, postGraphQL } from '../support/in-process';
import { bearer, officerOf, startSecureRegion } from './region';

let r: InProcessRegion;
let officer: Record<string, string>;
beforeAll(async () => {
  r = await startSecureRegion();
  officer = await bearer(r, officerOf('NB'), 'security test');
  // Generous: the region starts in one process beside other suites on a shared machine.
}, 600_000);
afterAll(() => r?.close());

const send = async (body: string, headers: Record<string, string> = {}) => {
  const res = await fetch(r.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...officer, ...headers },
    body,
  });
  return {
    status: res.status,
    json: (await res.json()) as {
      data?: unknown;
      errors?: { message: string; extensions?: { code?: string } }[];
    },
  };
};
const ask = (query: string, variables?: Record<string, unknown>) =>
  send(JSON.stringify({ query, variables }));

describe('operation limits', () => {
  it('refuses a query nested deeper than the limit', async () => {
    let inner = 'id';
    for (let i = 0; i < 8; i++) inner = `holder { credentials { ${inner} } }`;
    const { json } = await ask(`{ credentials(first: 1) { edges { node { ${inner} } } } }`);
    expect(json.data).toBeUndefined();
    expect(json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(json.errors?.[0]?.message).toContain('depth limit');
  });

  it('refuses an alias bomb', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: municipalities { code }`).join(' ');
    const { json } = await ask(`{ ${aliases} }`);
    expect(json.data).toBeUndefined();
    expect(json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(json.errors?.[0]?.message).toContain('Aliases limit');
  });

  it('refuses a query with too many tokens before executing it', async () => {
    const fields = Array.from({ length: 2500 }, () => 'code').join(' ');
    const { json } = await ask(`{ municipalities { ${fields} } }`);
    expect(json.data).toBeUndefined();
    expect(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']).toContain(
      json.errors?.[0]?.extensions?.code,
    );
  });

  it('refuses an oversized body with 413', async () => {
    const { status, json } = await send(
      JSON.stringify({ query: `{ municipalities { code } }`, pad: 'x'.repeat(200_000) }),
    );
    expect(status).toBe(413);
    expect(json.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('limits the depth of introspection too, where introspection is on', async () => {
    const gateway = await startGateway(extraGatewayConfig({ development: true }));
    try {
      const standard = await postGraphQL<{ __schema: { queryType: { name: string } } }>(
        gateway.graphqlUrl,
        getIntrospectionQuery(),
        undefined,
        officer,
      );
      expect(standard.errors).toBeUndefined();
      expect(standard.data?.__schema.queryType.name).toBe('Query');
      let chain = 'name';
      for (let i = 0; i < 15; i++) chain = `ofType { ${chain} }`;
      const res = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...officer },
        // graphql-armor's depth limit counts __type but skips __schema: the chain goes through __schema.
        body: JSON.stringify({ query: `{ __schema { types { fields { type { ${chain} } } } } }` }),
      });
      const json = (await res.json()) as {
        data?: unknown;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      };
      expect(res.status).toBe(400);
      expect(json.data).toBeUndefined();
      expect(json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(json.errors?.[0]?.extensions?.limit).toBe('introspectionDepth');
      expect(json.errors?.[0]?.message).toContain('Introspection depth limit of 15');
    } finally {
      await gateway.close();
    }
  });

  it('has introspection and field suggestions off outside development', async () => {
    const intro = await ask('{ __schema { types { name } } }');
    expect(intro.json.data).toBeUndefined();
    expect(intro.json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typo = await ask('{ municipalitie { code } }');
    expect(typo.json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(typo.json)).not.toContain('Did you mean');
  });
});

const INJECTIONS = [
  "' OR '1'='1",
  "SB:C-000001' OR 1=1 --",
  'NB"; DROP TABLE credential; --',
  'SB:%',
  'SB:_',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  'SB:C-1\u0000',
  '{"$gt": ""}',
  `SB:${'9'.repeat(3000)}`,
];
const EXPECTED_CODES = new Set([
  'BAD_USER_INPUT',
  'INVALID_ID',
  'UNKNOWN_MUNICIPALITY',
  'NOT_FOUND',
  'FORBIDDEN',
  'PURPOSE_REQUIRED',
  'GRAPHQL_VALIDATION_FAILED',
]);
const LEAKS = /select |insert |syntax error|pglite|postgres|drizzle|127\.0\.0\.1|localhost|\bat .*\.ts:\d+/i;

/** Every root query of the contract whose arguments are all scalars or lists of scalars. */
function rootQueries() {
  const doc = parse(readSupergraph());
  const query = doc.definitions.find(
    (d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Query',
  ) as unknown as { fields: { name: { value: string }; arguments?: readonly InputValueDefinitionNode[] }[] };
  return query.fields
    .filter((f) => !(f.arguments ?? []).some((a) => print(a).includes('@inaccessible')))
    .map((f) => ({
      name: f.name.value,
      args: (f.arguments ?? []).map((a) => ({ name: a.name.value, type: print(a.type) })),
    }));
}

describe('injection strings in every argument', () => {
  it('answers each with data or a documented error, and leaks nothing', async () => {
    const before = await ask('{ credentials(first: 1) { totalCount } }');
    const total = (before.json.data as { credentials: { totalCount: number } }).credentials.totalCount;
    let tried = 0;
    for (const field of rootQueries()) {
      for (const target of field.args) {
        const base = target.type.replace(/[[\]!]/g, '');
        if (base !== 'ID' && base !== 'String') continue;
        for (const payload of INJECTIONS) {
          const vars: Record<string, unknown> = {};
          const defs: string[] = [];
          for (const a of field.args) {
            const b = a.type.replace(/[[\]!]/g, '');
            const value =
              a === target ? payload : b === 'Int' ? 5 : b === 'ID' || b === 'String' ? 'NB' : null;
            if (value === null) continue;
            vars[a.name] = a.type.startsWith('[') ? [value] : value;
            defs.push(`$${a.name}: ${a.type}`);
          }
          const args = Object.keys(vars)
            .map((n) => `${n}: $${n}`)
            .join(', ');
          const q = `query(${defs.join(', ')}) { r: ${field.name}${args ? `(${args})` : ''} { __typename } }`;
          const { status, json } = await ask(q, vars);
          tried++;
          const where = `${field.name}(${target.name}: ${JSON.stringify(payload).slice(0, 40)})`;
          expect([where, status < 500]).toEqual([where, true]);
          for (const e of json.errors ?? []) {
            expect([where, EXPECTED_CODES.has(e.extensions?.code ?? '')]).toEqual([where, true]);
            expect([where, LEAKS.test(e.message)]).toEqual([where, false]);
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(50);
    const after = await ask('{ credentials(first: 1) { totalCount } }');
    expect((after.json.data as { credentials: { totalCount: number } }).credentials.totalCount).toBe(total);
  });
});

function extraGatewayConfig(overrides: Partial<GatewayConfigInput>) {
  return GatewayConfigSchema.parse({
    port: 0,
    registryUrl: r.registryUrl,
    membershipRefreshMs: 0,
    logLevel: 'silent',
    development: false,
    tokenKeys: { kind: 'jwks', jwks: r.trust.jwks },
    tokenIssuer: DEMO_ISSUER,
    tokenAudience: DEMO_AUDIENCE,
    keyDir: join(r.keys.root, 'gateway'),
    registryKeys: JSON.stringify({ keys: r.keys.registry.all().map((k) => k.publicJwk) }),
    ...overrides,
  });
}

describe('rate limits per caller', () => {
  it('counts in memory per caller, by window', async () => {
    let t = 0;
    const limiter = memoryRateLimiter(2, () => t);
    expect((await limiter.hit('a')).allowed).toBe(true);
    expect((await limiter.hit('a')).allowed).toBe(true);
    expect((await limiter.hit('b')).allowed).toBe(true);
    expect((await limiter.hit('a')).allowed).toBe(false);
    t = 60_000;
    expect((await limiter.hit('a')).allowed).toBe(true);
  });

  it('shares one allowance between gateway replicas through Redis', async () => {
    const redis = new Redis(process.env.CROSSGATE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
      maxRetriesPerRequest: 1,
    });
    const config = extraGatewayConfig({
      rateLimitPerMinute: 4,
      redisPrefix: `crossgate-test:${randomUUID()}:`,
    });
    const [a, b] = await Promise.all([startGateway(config, { redis }), startGateway(config, { redis })]);
    try {
      const headers = await bearer(r, { subject: `busy-${randomUUID()}`, role: 'analyst' });
      const q = '{ municipalities { code } }';
      const answers = [];
      for (const g of [a, b, a, b, a]) {
        const res = await fetch(g.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: q }),
        });
        answers.push({
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          body: await res.json(),
        });
      }
      expect(answers.map((x) => x.status)).toEqual([200, 200, 200, 200, 429]);
      expect(answers[4]?.body.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(Number(answers[4]?.retryAfter)).toBeGreaterThan(0);
      const other = await postGraphQL(
        a.graphqlUrl,
        q,
        undefined,
        await bearer(r, { subject: 'calm', role: 'analyst' }),
      );
      expect(other.errors).toBeUndefined();
    } finally {
      await Promise.all([a.close(), b.close()]);
      redis.disconnect();
    }
  });

  it('keeps answering, and limiting, in memory while Redis does not answer', async () => {
    // Nothing listens on port 1: the client never becomes ready, as during a Redis restart.
    const redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    const gateway = await startGateway(
      extraGatewayConfig({ rateLimitPerMinute: 2, redisPrefix: `crossgate-test:${randomUUID()}:` }),
      { redis },
    );
    try {
      const headers = await bearer(r, { subject: `redis-down-${randomUUID()}`, role: 'analyst' });
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(gateway.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: '{ municipalities { code } }' }),
        });
        const body = await res.json();
        statuses.push(res.status === 200 ? (body.errors?.[0]?.extensions?.code ?? 200) : res.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await gateway.close();
      redis.disconnect();
    }
  });
});

describe('rate limits for callers with invalid tokens', () => {
  it('counts them by address, as anonymous callers are, and refuses with 429 past the limit', async () => {
    const limit = 3;
    const gateway = await startGateway(
      extraGatewayConfig({ rateLimitPerMinute: limit, redisPrefix: `crossgate-test:${randomUUID()}:` }),
    );
    const send = async (authorization?: string) => {
      const res = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: '{ municipalities { code } }' }),
      });
      return {
        status: res.status,
        body: (await res.json()) as { errors?: { extensions: { code: string } }[] },
      };
    };
    try {
      // The allowance is per one-minute window: should a window end during the first round, the
      // second starts in a fresh one and holds the whole sequence.
      let statuses: number[] = [];
      let last: Awaited<ReturnType<typeof send>> | undefined;
      for (let round = 0; round < 2 && statuses.at(-1) !== 429; round++) {
        statuses = [];
        for (let i = 0; i <= limit; i++) {
          last = await send(`Bearer not.a.token${round}${i}`);
          statuses.push(last.status);
        }
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect(last?.body.errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
      // The same address without a token shares that allowance.
      expect((await send()).status).toBe(429);
    } finally {
      await gateway.close();
    }
  });
});

describe('persisted operations for public callers', () => {
  it('lets anonymous callers run only operations in the manifest, by hash', async () => {
    const allowed = 'query Members { municipalities { code name } }';
    const manifest = new Map([[operationHash(allowed), allowed]]);
    const g = await startGateway(extraGatewayConfig({ persistedOperations: 'public' }), { manifest });
    try {
      const post = (body: unknown, headers: Record<string, string> = {}) =>
        fetch(g.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        }).then(async (res) => ({ status: res.status, json: await res.json() }));
      const byHash = await post({
        extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(allowed) } },
      });
      expect(byHash.status).toBe(200);
      expect(byHash.json.data.municipalities).toHaveLength(3);
      const adHoc = await post({ query: '{ municipalities { code } }' });
      expect(adHoc.status).toBe(400);
      expect(adHoc.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const unknown = await post({
        extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
      });
      expect(unknown.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const asOfficer = await post({ query: '{ municipalities { code } }' }, officer);
      expect(asOfficer.status).toBe(200);
      expect(asOfficer.json.data.municipalities).toHaveLength(3);
    } finally {
      await g.close();
    }
  });
});
