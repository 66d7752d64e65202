// Operations one subgraph answers whole are answered with its data as it comes, and the answer is
// always the one stock @apollo/gateway gives: for every query and every answer below, valid or not,
// the two gateways' results are compared byte for byte, and each fetches exactly once per request.
import { composeServices } from '@apollo/composition';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import type { GraphQLPayload } from '../../gateway/src/datasources/http-client';
import { DirectAnswers } from '../../gateway/src/single-fetch/direct-answers';

const ITEMS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  enum Kind { A B }
  type Query { items(first: Int!): [Item!]! things: [Thing] note: String }
  type Item @key(fields: "id") { id: ID! count: Int! ratio: Float tags: [String!] kind: Kind owner: Owner! }
  type Owner @key(fields: "code") { code: String! }
  type Ping { ok: Boolean! }
  union Thing = Item | Ping
`;
const OWNERS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Owner @key(fields: "code") { code: String! name: String }
`;

function compose(itemsSdl: string): string {
  const composed = composeServices([
    { name: 'items', url: 'http://items.invalid/graphql', typeDefs: parse(itemsSdl) },
    { name: 'owners', url: 'http://owners.invalid/graphql', typeDefs: parse(OWNERS_SDL) },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('; '));
  return composed.supergraphSdl;
}
const supergraphSdl = compose(ITEMS_SDL);
/** The same supergraph after the items subgraph changed `Item.count` from Int! to String!. */
const changedSdl = compose(ITEMS_SDL.replace('count: Int!', 'count: String!'));

type Json = Record<string, unknown>;
type Data = Json & { items?: Json[] };

const item = (i: number): Json => ({
  id: `i${i}`,
  count: i,
  ratio: i / 2,
  tags: ['x', 'y'],
  kind: i % 2 ? 'A' : 'B',
  owner: { code: `o${i}` },
});

/** Each query, whether one fetch answers it whole, and the items subgraph's valid answer to its fetch. */
const QUERIES: { name: string; query: string; variables?: Json; direct: boolean; valid: () => Data }[] = [
  {
    name: 'every leaf type, a nested object',
    query: '{ items(first: 2) { id count ratio tags kind owner { code } } }',
    direct: true,
    valid: () => ({ items: [item(1), item(2)] }),
  },
  {
    name: 'aliases, a fragment, a variable',
    query: 'query Q($n: Int!) { list: items(first: $n) { ...F } } fragment F on Item { ident: id kind }',
    variables: { n: 1 },
    direct: true,
    valid: () => ({ list: [{ ident: 'i1', kind: 'A' }] }),
  },
  {
    name: '__typename asked',
    query: '{ items(first: 1) { __typename id } }',
    direct: true,
    valid: () => ({ items: [{ __typename: 'Item', id: 'i1' }] }),
  },
  {
    name: 'two subgraphs',
    query: '{ items(first: 1) { id owner { code name } } }',
    direct: false,
    valid: () => ({ items: [{ id: 'i1', owner: { __typename: 'Owner', code: 'o1' } }] }),
  },
  {
    name: 'a skip directive',
    query: '{ items(first: 1) { id count @skip(if: true) } }',
    direct: false,
    valid: () => ({ items: [{ id: 'i1' }] }),
  },
  {
    name: 'a union',
    query: '{ things { ... on Item { id } ... on Ping { ok } } }',
    direct: false,
    valid: () => ({
      things: [
        { __typename: 'Item', id: 'i1' },
        { __typename: 'Ping', ok: true },
      ],
    }),
  },
];

const first = (data: Data): Json => {
  const list = Object.values(data)[0] as Json[];
  return list[0] as Json;
};

/** Ways a subgraph's answer can differ from the shape the operation asks for. */
const ANSWERS: Record<string, (valid: Data) => GraphQLPayload> = {
  valid: (d) => ({ data: d }),
  'a field missing': (d) => {
    const e = first(d);
    delete e[Object.keys(e)[0] as string];
    return { data: d };
  },
  'a field too many': (d) => {
    first(d).extra = 1;
    return { data: d };
  },
  'fields in another order': (d) => {
    const e = first(d);
    const reversed = Object.fromEntries(Object.entries(e).reverse());
    for (const k of Object.keys(e)) delete e[k];
    Object.assign(e, reversed);
    return { data: d };
  },
  'null where the schema forbids it': (d) => {
    const e = first(d);
    e[Object.keys(e)[0] as string] = null;
    return { data: d };
  },
  'a null non-null list': (d) => ({ data: { ...d, [Object.keys(d)[0] as string]: null } }),
  'a wrong leaf type': (d) => {
    const e = first(d);
    const key = Object.keys(e).find((k) => k !== '__typename') as string;
    e[key] = { nested: true };
    return { data: d };
  },
  'an Int that is a fraction, a value outside the enum': (d) => {
    const e = first(d);
    if ('count' in e) e.count = 1.5;
    if ('kind' in e) e.kind = 'C';
    if ('__typename' in e) e.__typename = 'Ping';
    return { data: d };
  },
  'an error beside the data': (d) => ({
    data: d,
    errors: [{ message: 'partly failed', path: [Object.keys(d)[0] as string, 0], extensions: { code: 'X' } }],
  }),
  'no data, an error': () => ({ data: null, errors: [{ message: 'failed', extensions: { code: 'X' } }] }),
  'extensions beside the data': (d) => ({ data: d, extensions: { note: 1 } }),
  'the data source fails': () => {
    throw new Error('connection refused');
  },
};

type SupergraphHook = Extract<
  ConstructorParameters<typeof ApolloGateway>[0],
  { supergraphSdl: unknown }
>['supergraphSdl'];

async function gateway(
  direct: boolean,
  answer: () => GraphQLPayload,
  supergraph: string | SupergraphHook = supergraphSdl,
) {
  const fetches: string[] = [];
  const answers = direct ? new DirectAnswers() : null;
  const build = ({ name }: { name: string }): GraphQLDataSource => ({
    async process(request) {
      fetches.push(name);
      if (name === 'owners') {
        const reps = (request.request.variables?.representations ?? []) as Json[];
        return { data: { _entities: reps.map((r) => ({ name: `name of ${r.code}` })) } };
      }
      return answer();
    },
  });
  const inner = new ApolloGateway({
    supergraphSdl: supergraph,
    buildService: answers ? answers.replaying(build) : build,
    experimental_didResolveQueryPlan: answers?.didResolveQueryPlan,
  });
  const server = new ApolloServer({ gateway: answers ? answers.gateway(inner) : inner });
  await server.start();
  return {
    fetches,
    counts: answers?.counts,
    async ask(query: string, variables?: Json) {
      const res = await server.executeOperation({ query, variables });
      if (res.body.kind !== 'single') throw new Error('not a single result');
      return JSON.stringify(res.body.singleResult);
    },
    stop: () => server.stop(),
  };
}

describe('direct answers of single-fetch operations', () => {
  for (const q of QUERIES) {
    for (const [kind, make] of Object.entries(ANSWERS)) {
      it(`${q.name}, ${kind}: the same answer as stock @apollo/gateway, one fetch a request`, async () => {
        const answer = () => make(q.valid());
        const ours = await gateway(true, answer);
        const stock = await gateway(false, answer);
        try {
          const expected = await stock.ask(q.query, q.variables);
          // the first request learns the plan; the second may be answered directly
          expect(await ours.ask(q.query, q.variables)).toBe(expected);
          expect(await ours.ask(q.query, q.variables)).toBe(expected);
          expect(ours.fetches.length).toBe(stock.fetches.length * 2);
          const counts = ours.counts ?? { direct: -1, shaped: -1 };
          const fits = kind === 'valid';
          expect(counts).toEqual({ direct: q.direct && fits ? 1 : 0, shaped: q.direct && !fits ? 1 : 0 });
        } finally {
          await ours.stop();
          await stock.stop();
        }
      });
    }
  }

  it('forgets what it learnt when the supergraph changes', async () => {
    const q = QUERIES[0];
    if (!q) throw new Error('no query');
    const answer = () => ({ data: q.valid() });
    let update: ((sdl: string) => void) | undefined;
    const ours = await gateway(true, answer, async (options) => {
      update = options.update;
      return { supergraphSdl };
    });
    const stockBefore = await gateway(false, answer);
    const stockAfter = await gateway(false, answer, changedSdl);
    try {
      expect(await ours.ask(q.query)).toBe(await stockBefore.ask(q.query));
      expect(await ours.ask(q.query)).toBe(await stockBefore.ask(q.query));
      expect(ours.counts).toEqual({ direct: 1, shaped: 0 });
      update?.(changedSdl);
      // an Int where the schema now asks a String: shaped by the gateway, never passed on as it came
      const expected = await stockAfter.ask(q.query);
      expect(expected).not.toBe(await stockBefore.ask(q.query));
      expect(await ours.ask(q.query)).toBe(expected);
      expect(await ours.ask(q.query)).toBe(expected);
      expect(ours.counts).toEqual({ direct: 1, shaped: 1 });
      expect(ours.fetches.length).toBe(4);
    } finally {
      for (const g of [ours, stockBefore, stockAfter]) await g.stop();
    }
  });

  it('checks variables as the gateway does before answering directly', async () => {
    const q = QUERIES[1];
    if (!q) throw new Error('no query');
    const ours = await gateway(true, () => ({ data: q.valid() }));
    const stock = await gateway(false, () => ({ data: q.valid() }));
    try {
      await ours.ask(q.query, q.variables);
      const wrong = { n: 'many' };
      expect(await ours.ask(q.query, wrong)).toBe(await stock.ask(q.query, wrong));
      expect(ours.fetches).toEqual(['items']);
      expect(ours.counts).toEqual({ direct: 0, shaped: 0 });
    } finally {
      await ours.stop();
      await stock.stop();
    }
  });
});
