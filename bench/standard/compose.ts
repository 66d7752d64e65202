// Composes the standard workload's supergraph from its four subgraphs at the given URLs.
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { STANDARD_SDL, STANDARD_SUBGRAPHS, type StandardSubgraph } from './subgraphs';

export function composeStandard(urls: Record<StandardSubgraph, string>): string {
  const result = composeServices(
    STANDARD_SUBGRAPHS.map((name) => ({ name, url: urls[name], typeDefs: parse(STANDARD_SDL[name]) })),
  );
  if (result.errors)
    throw new Error(
      `Standard supergraph does not compose: ${result.errors.map((e) => e.message).join('; ')}`,
    );
  return result.supergraphSdl;
}
