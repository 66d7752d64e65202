// Crossgate's gateway stack on an arbitrary supergraph answers exactly as stock @apollo/gateway does.
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { type LeanServer, serveLean } from '../../../bench/lib/lean-graphql';
import { composeStandard } from '../../../bench/standard/compose';
import { STANDARD_QUERY } from '../../../bench/standard/query';
import { STANDARD_SUBGRAPHS, type StandardSubgraph, standardSchema } from '../../../bench/standard/subgraphs';
import type { RunningServer } from '../../../common/http';
import { createProcessMetrics } from '../../../common/metrics';
import { startFederatedGateway } from '../../../gateway/src/federated';

let subgraphs: LeanServer[] = [];
let crossgate: RunningServer & { graphqlUrl: string };
let observed: RunningServer & { graphqlUrl: string };
let stock: ApolloServer;
let stockUrl: string;

beforeAll(async () => {
  const urls = {} as Record<StandardSubgraph, string>;
  for (const name of STANDARD_SUBGRAPHS) {
    const s = await serveLean(standardSchema(name), 0);
    subgraphs.push(s);
    urls[name] = s.url;
  }
  const supergraphSdl = composeStandard(urls);
  crossgate = await startFederatedGateway({ supergraphSdl, port: 0, serverTiming: true });
  observed = await startFederatedGateway(
    { supergraphSdl, port: 0 },
    { metrics: createProcessMetrics('gateway', { defaults: false }) },
  );
  stock = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
  ({ url: stockUrl } = await startStandaloneServer(stock, { listen: { port: 0, host: '127.0.0.1' } }));
});

afterAll(async () => {
  await crossgate.close();
  await observed.close();
  await stock.stop();
  for (const s of subgraphs) await s.close();
  subgraphs = [];
});

const ask = (url: string, query: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });

describe('federated gateway over pooled data sources', () => {
  it('answers the standard nested query exactly as stock @apollo/gateway does', async () => {
    const [ours, theirs] = await Promise.all([
      ask(crossgate.graphqlUrl, STANDARD_QUERY),
      ask(stockUrl, STANDARD_QUERY),
    ]);
    const a = (await ours.json()) as {
      data?: { users: unknown[]; topProducts: unknown[] };
      errors?: unknown;
    };
    const b = (await theirs.json()) as { data?: unknown };
    expect(a.errors).toBeUndefined();
    expect(a.data?.users).toHaveLength(6);
    expect(a.data).toEqual(b.data);
  });

  it('reports gateway and critical-path subgraph time in Server-Timing', async () => {
    const res = await ask(crossgate.graphqlUrl, '{ topProducts(first: 2) { name shippingEstimate } }');
    await res.text();
    const timing = res.headers.get('server-timing') ?? '';
    expect(timing).toMatch(/^gateway;dur=[\d.]+, subgraphs;dur=[\d.]+;desc=2$/);
  });

  it('serves no /metrics unless given metrics', async () => {
    const res = await fetch(`${crossgate.url}/metrics`);
    await res.text();
    expect(res.status).toBe(404);
  });

  it('with metrics, serves /metrics counting the operation and each subgraph called, by name', async () => {
    const res = await ask(observed.graphqlUrl, '{ topProducts(first: 2) { name shippingEstimate } }');
    expect(res.status).toBe(200);
    await res.text();
    const text = await (await fetch(`${observed.url}/metrics`)).text();
    expect(text).toMatch(
      /crossgate_graphql_requests_total\{operation="anonymous",outcome="OK",process_kind="gateway"\} 1/,
    );
    for (const subgraph of ['products', 'inventory'])
      expect(text).toContain(
        `crossgate_subgraph_fetch_duration_seconds_count{process_kind="gateway",member="${subgraph}",subgraph="${subgraph}"} 1`,
      );
    expect(text).not.toContain('unrouted');
  });

  it('listens on the loopback port it was given', () => {
    expect((crossgate.server.address() as AddressInfo).address).toBe('127.0.0.1');
  });
});
