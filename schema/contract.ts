// The regional contract: the logical subgraphs and how they compose into the supergraph.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

export const LOGICAL_SUBGRAPHS = ['registry', 'credentials', 'workforce'] as const;
export type LogicalSubgraph = (typeof LOGICAL_SUBGRAPHS)[number];

/** The subgraphs every municipality serves over its own data; the gateway fans them out. */
export const MUNICIPAL_SUBGRAPHS = ['credentials', 'workforce'] as const satisfies readonly LogicalSubgraph[];

export const SCHEMA_DIR = __dirname;
export const SUPERGRAPH_PATH = join(SCHEMA_DIR, 'supergraph.graphql');

/** The logical URL given to composition; the fan-out never dials it. */
export function logicalUrl(name: LogicalSubgraph): string {
  return `crossgate://${name}`;
}

export function subgraphSdl(name: LogicalSubgraph): string {
  return readFileSync(join(SCHEMA_DIR, `${name}.graphql`), 'utf8');
}

export type CompositionOutcome = { ok: true; supergraphSdl: string } | { ok: false; errors: string[] };

export function composeContract(sdls: Record<LogicalSubgraph, string> = readContract()): CompositionOutcome {
  const result = composeServices(
    LOGICAL_SUBGRAPHS.map((name) => ({ name, url: logicalUrl(name), typeDefs: parse(sdls[name]) })),
  );
  if (result.errors) {
    return { ok: false, errors: result.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`) };
  }
  return { ok: true, supergraphSdl: `${result.supergraphSdl.trimEnd()}\n` };
}

export function readContract(): Record<LogicalSubgraph, string> {
  return Object.fromEntries(LOGICAL_SUBGRAPHS.map((n) => [n, subgraphSdl(n)])) as Record<
    LogicalSubgraph,
    string
  >;
}

export function readSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}
