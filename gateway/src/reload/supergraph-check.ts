// Whether a new supergraph may replace the running one: it must build (composition and validation
// errors refuse it), serve the same subgraphs, keep a merge rule for every fanned-out root field,
// remove nothing clients may use, and keep every operation in use valid.
import { Supergraph } from '@apollo/federation-internals';
import { findBreakingChanges, type GraphQLSchema, parse, validate } from 'graphql';
import { LOGICAL_SUBGRAPHS, MUNICIPAL_SUBGRAPHS } from '../../../schema/contract';
import { withoutEnforcedDirectives } from '../auth/supergraph';
import { checkMergeRules, type MunicipalSubgraph } from '../fanout/rules';

/** A supergraph ready to serve: the text the gateway loads and the API schema clients see. */
export interface BuiltSupergraph {
  /** The supergraph as composed, security directives included (the gateway enforces them itself). */
  sdl: string;
  /** The same without the directives @apollo/gateway refuses; what the query planner loads. */
  servedSdl: string;
  apiSchema: GraphQLSchema;
}

export type SupergraphCheck = { ok: true; built: BuiltSupergraph } | { ok: false; problems: string[] };

const firstLine = (e: unknown) =>
  String((e as Error).message ?? e)
    .split('\n')
    .slice(0, 3)
    .join(' ');

/** Builds a supergraph on its own: composition hints aside, whatever would fail the gateway fails here. */
export function buildSupergraph(sdl: string): SupergraphCheck {
  let servedSdl: string;
  let supergraph: Supergraph;
  try {
    servedSdl = withoutEnforcedDirectives(sdl);
    supergraph = Supergraph.build(servedSdl);
  } catch (e) {
    return { ok: false, problems: [`the supergraph does not build: ${firstLine(e)}`] };
  }
  const problems: string[] = [];
  const names = supergraph.subgraphsMetadata().map((s) => s.name);
  const missing = LOGICAL_SUBGRAPHS.filter((n) => !names.includes(n));
  const unknown = names.filter((n) => !(LOGICAL_SUBGRAPHS as readonly string[]).includes(n));
  if (missing.length > 0) problems.push(`it lacks the subgraphs ${missing.join(', ')}`);
  if (unknown.length > 0) problems.push(`it names subgraphs this gateway cannot call: ${unknown.join(', ')}`);
  let apiSchema: GraphQLSchema | undefined;
  try {
    const subgraphs = supergraph.subgraphs();
    for (const name of MUNICIPAL_SUBGRAPHS) {
      const subgraph = subgraphs.get(name);
      if (!subgraph) continue;
      try {
        checkMergeRules(name as MunicipalSubgraph, subgraph.toString());
      } catch (e) {
        problems.push(`the fan-out cannot serve it: ${firstLine(e)}`);
      }
    }
    apiSchema = supergraph.apiSchema().toGraphQLJSSchema();
  } catch (e) {
    problems.push(`its subgraphs or API schema cannot be extracted: ${firstLine(e)}`);
  }
  if (problems.length > 0 || !apiSchema) return { ok: false, problems };
  return { ok: true, built: { sdl, servedSdl, apiSchema } };
}

/**
 * Checks a candidate against the running supergraph: it builds, it removes or narrows nothing of
 * the running API (graphql-js' breaking changes), and every operation in use still validates.
 */
export function checkSupergraph(
  candidate: string,
  running: BuiltSupergraph,
  operationsInUse: Iterable<string>,
): SupergraphCheck {
  const built = buildSupergraph(candidate);
  if (!built.ok) return built;
  const problems = findBreakingChanges(running.apiSchema, built.built.apiSchema).map(
    (c) => `breaking change: ${c.description}`,
  );
  for (const text of operationsInUse) {
    const errors = validate(built.built.apiSchema, parse(text));
    if (errors.length > 0)
      problems.push(`an operation in use no longer validates (${errors[0]?.message}): ${text.slice(0, 120)}`);
  }
  return problems.length > 0 ? { ok: false, problems } : built;
}
