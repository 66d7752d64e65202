// Mutations reach exactly one shard, chosen by id prefix or municipality, one field after another:
// tested at the data source against two small GraphQL servers on port 0 that record every write.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { buildSchema, graphql } from 'graphql';
import { createSubgraphHttpClient } from '../../../gateway/src/datasources/http-client';
import { FanOutDataSource } from '../../../gateway/src/fanout/fanout';
import type { MergeRule } from '../../../gateway/src/fanout/rules';
import { type Shard, ShardMap } from '../../../gateway/src/fanout/shards';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { asOfficer } from '../../support/callers';
import { startRegion } from '../../support/in-process';

const schema = buildSchema(`
  type Query { ping: String }
  type Mutation { annotate(id: ID!, note: String!): String  register(municipality: ID!, name: String!): String }
`);
const RULES: Record<string, MergeRule> = {
  'Query.ping': { kind: 'route-by-municipality', arg: 'municipality' },
  'Mutation.annotate': { kind: 'route-by-id', arg: 'id' },
  'Mutation.register': { kind: 'route-by-municipality', arg: 'municipality' },
};

/** Every write as the shards saw it, with start and end so that overlap would show. */
const log: string[] = [];
const servers: Server[] = [];

async function writeServer(code: string): Promise<string> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const { query, variables } = JSON.parse(Buffer.concat(chunks).toString());
    const rootValue = {
      annotate: async ({ id, note }: { id: string; note: string }) => {
        log.push(`${code} start annotate ${id} ${note}`);
        await new Promise((r) => setTimeout(r, 20));
        log.push(`${code} end annotate ${id}`);
        return `${id}:${note}`;
      },
      register: ({ name }: { name: string }) => {
        log.push(`${code} register ${name}`);
        return `${code}:${name}`;
      },
    };
    const result = await graphql({ schema, source: query, variableValues: variables, rootValue });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(result));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`;
}

const http = createSubgraphHttpClient();
let source: FanOutDataSource;

beforeAll(async () => {
  const [nb, sb] = await Promise.all([writeServer('NB'), writeServer('SB')]);
  const members = [
    { code: 'NB', status: 'ACTIVE' as const, credentialsUrl: nb, workforceUrl: nb },
    { code: 'SB', status: 'ACTIVE' as const, credentialsUrl: sb, workforceUrl: sb },
  ];
  source = new FanOutDataSource({
    subgraph: 'credentials',
    shards: () => new ShardMap(members, 'credentials'),
    http,
    timeoutMs: 5000,
    rules: RULES,
  });
});
afterAll(async () => {
  await http.close();
  for (const s of servers) await new Promise((r) => s.close(r));
});
beforeEach(() => {
  log.length = 0;
});

function run(query: string, variables: Record<string, unknown> = {}) {
  return source.process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query, variables },
    context: {},
    incomingRequestContext: {},
  } as unknown as GraphQLDataSourceProcessOptions);
}

describe('mutations through the fan-out', () => {
  it('sends a write to the one shard its id names, once', async () => {
    const res = await run('mutation($id: ID!) { annotate(id: $id, note: "checked") }', { id: 'SB:C-000007' });
    expect(res).toEqual({ data: { annotate: 'SB:C-000007:checked' } });
    expect(log).toEqual(['SB start annotate SB:C-000007 checked', 'SB end annotate SB:C-000007']);
  });

  it('sends a write to the municipality its argument names, once', async () => {
    const res = await run('mutation { register(municipality: "NB", name: "Anna") }');
    expect(res).toEqual({ data: { register: 'NB:Anna' } });
    expect(log).toEqual(['NB register Anna']);
  });

  it('runs several mutation fields in document order, each finished before the next starts', async () => {
    const res = await run(`mutation {
      a: annotate(id: "NB:C-1", note: "one") b: annotate(id: "SB:C-2", note: "two") c: annotate(id: "NB:C-3", note: "three")
    }`);
    expect(res.data).toEqual({ a: 'NB:C-1:one', b: 'SB:C-2:two', c: 'NB:C-3:three' });
    expect(log).toEqual([
      'NB start annotate NB:C-1 one',
      'NB end annotate NB:C-1',
      'SB start annotate SB:C-2 two',
      'SB end annotate SB:C-2',
      'NB start annotate NB:C-3 three',
      'NB end annotate NB:C-3',
    ]);
  });

  it('writes nothing when the target is malformed or not a member, and says which', async () => {
    const res = await run(`mutation {
      bad: annotate(id: "C-1", note: "x") gone: register(municipality: "ZZ", name: "y") ok: register(municipality: "SB", name: "z") low: register(municipality: "sb", name: "w")
    }`);
    expect(res.data).toEqual({ bad: null, gone: null, ok: 'SB:z', low: null });
    expect(res.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.municipality])).toEqual([
      [['bad'], 'INVALID_ID', undefined],
      [['gone'], 'UNKNOWN_MUNICIPALITY', 'ZZ'],
      [['low'], 'BAD_USER_INPUT', undefined],
    ]);
    expect(log).toEqual(['SB register z']);
  });
});

describe('mutations through the gateway', () => {
  it('sends each write of an operation to the owning municipality only, one call per field', async () => {
    const calls: { subgraph: string; shard: string }[] = [];
    const r = await startRegion({
      region: generateRegion({
        seed: 5,
        municipalities: DEMO_MUNICIPALITIES,
        holdersPerMunicipality: 5,
        placementsPerMunicipality: 3,
      }),
      today: '2026-11-01',
      now: () => new Date('2026-11-01T09:30:00Z'),
      gatewayDeps: {
        onShardCall: ({ subgraph, shard }: { subgraph: string; shard: Shard }) =>
          calls.push({ subgraph, shard: shard.id }),
      },
    });
    try {
      const res = await r.query(
        `mutation {
          off: suspendCredential(id: "SB:C-000001", idempotencyKey: "fanout-s-1", reason: "Under review") { id status }
          on: reinstateCredential(id: "SB:C-000001", idempotencyKey: "fanout-r-1", reason: "Review closed") { id status }
        }`,
        {},
        asOfficer('SB'),
      );
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        off: { id: 'SB:C-000001', status: 'SUSPENDED' },
        on: { id: 'SB:C-000001', status: 'ACTIVE' },
      });
      expect(calls).toEqual([
        { subgraph: 'credentials', shard: 'SB' },
        { subgraph: 'credentials', shard: 'SB' },
      ]);
    } finally {
      await r.close();
    }
  });
});
