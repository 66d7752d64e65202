// The declared merge rule of every root field of the fanned-out subgraphs. A root field
// without a rule is a start-up error: the fan-out never guesses how to combine shards.
import { type DocumentNode, type FieldDefinitionNode, Kind, parse } from 'graphql';
import type { MUNICIPAL_SUBGRAPHS } from '../../../schema/contract';
import type { AggregateRule } from './aggregate';

export type MunicipalSubgraph = (typeof MUNICIPAL_SUBGRAPHS)[number];

export type MergeRule =
  /**
   * Sent to the one shard owning the id in argument `arg`; a malformed or foreign id fails alone,
   * unless `unroutable` is 'any-shard': then such an id goes to any shard, which answers as for an
   * unknown id, so that the answer does not tell the two apart (verification).
   */
  | { kind: 'route-by-id'; arg: string; unroutable?: 'any-shard' }
  /** Sent to the one shard owning the municipality code in argument `arg`. */
  | { kind: 'route-by-municipality'; arg: string }
  /**
   * A cursor connection: scattered to every shard in scope, edges merged in the global order of
   * their cursors' sort keys, `first` kept, totals summed; the cursor carries each shard's position.
   */
  | { kind: 'connection'; scopeArg: string }
  /** A list: scattered, concatenated and sorted by the given fields (ties broken by the later ones). */
  | { kind: 'concat'; scopeArg: string; orderBy: readonly string[] }
  /** Counts grouped by keys in each shard's SQL, summed by group in the gateway (aggregate.ts). */
  | AggregateRule
  /** Answered by the gateway itself, asking no shard: the configured answer named `answer`. */
  | { kind: 'gateway'; answer: string };

export const MERGE_RULES: Record<MunicipalSubgraph, Record<string, MergeRule>> = {
  credentials: {
    'Query.credential': { kind: 'route-by-id', arg: 'id' },
    'Query.holder': { kind: 'route-by-id', arg: 'id' },
    'Query.credentials': { kind: 'connection', scopeArg: 'municipalities' },
    'Query.credentialsOfHolder': { kind: 'concat', scopeArg: 'municipalities', orderBy: ['validFrom', 'id'] },
    'Query.verifyCredential': { kind: 'route-by-id', arg: 'id', unroutable: 'any-shard' },
    'Query.recognitionDecision': { kind: 'route-by-id', arg: 'id' },
    'Query.credentialDocument': { kind: 'route-by-id', arg: 'id' },
    'Query.verifyPresentation': { kind: 'gateway', answer: 'verifyPresentation' },
    'Mutation.issueCredential': { kind: 'route-by-municipality', arg: 'municipality' },
    'Mutation.suspendCredential': { kind: 'route-by-id', arg: 'id' },
    'Mutation.reinstateCredential': { kind: 'route-by-id', arg: 'id' },
    'Mutation.revokeCredential': { kind: 'route-by-id', arg: 'id' },
    'Mutation.recordRecognitionDecision': { kind: 'route-by-municipality', arg: 'municipality' },
    'Mutation.fileAppeal': { kind: 'route-by-id', arg: 'decisionId' },
    'Mutation.resolveAppeal': { kind: 'route-by-id', arg: 'id' },
    'Query.auditTrail': { kind: 'route-by-municipality', arg: 'municipality' },
    'Query.alerts': { kind: 'route-by-municipality', arg: 'municipality' },
  },
  workforce: {
    'Query.placement': { kind: 'route-by-id', arg: 'id' },
    'Query.placements': { kind: 'connection', scopeArg: 'municipalities' },
    'Query.workforceFlows': {
      kind: 'aggregate',
      scopeArg: 'to',
      rows: 'cells',
      keys: ['from.code', 'to.code', 'occupation.iscoCode', 'period'],
      sum: 'placements',
      report: 'workforceFlows',
    },
    'Mutation.registerPlacement': { kind: 'route-by-municipality', arg: 'municipality' },
    // @inaccessible: never planned; the workforceFlows finisher sends them to shards itself
    // (gateway/src/workforce-flows/flow-outcomes.ts). Declared as what they are: per-shard lists.
    'Query.flowCredentialsUsed': { kind: 'concat', scopeArg: 'to', orderBy: [] },
    'Query.flowCredentialFacts': { kind: 'concat', scopeArg: 'municipalities', orderBy: ['id'] },
    'Query.flowRecognitionGroups': { kind: 'concat', scopeArg: 'to', orderBy: ['from', 'to', 'since'] },
  },
};

/**
 * Fails, naming every problem at once, when a root field of the subgraph has no rule, a rule
 * names no field, a mutation is not routed to one shard, or a rule names a missing argument.
 */
export function checkMergeRules(
  subgraph: MunicipalSubgraph,
  sdl: string | DocumentNode,
  rules: Readonly<Record<string, MergeRule>> = MERGE_RULES[subgraph],
): void {
  const doc = typeof sdl === 'string' ? parse(sdl) : sdl;
  const fields = new Map<string, FieldDefinitionNode>();
  for (const def of doc.definitions) {
    if (
      (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      (def.name.value === 'Query' || def.name.value === 'Mutation')
    ) {
      for (const f of def.fields ?? []) fields.set(`${def.name.value}.${f.name.value}`, f);
    }
  }
  const problems: string[] = [];
  const missing = [...fields.keys()].filter((f) => !rules[f]);
  if (missing.length) problems.push(`no merge rule for ${missing.join(', ')}`);
  const stale = Object.keys(rules).filter((r) => !fields.has(r));
  if (stale.length) problems.push(`merge rules for fields the contract lacks: ${stale.join(', ')}`);
  for (const [name, field] of fields) {
    const rule = rules[name];
    if (!rule) continue;
    const args = new Set((field.arguments ?? []).map((a) => a.name.value));
    if (
      name.startsWith('Mutation.') &&
      rule.kind !== 'route-by-id' &&
      rule.kind !== 'route-by-municipality'
    ) {
      problems.push(`${name} is a mutation, so it must be routed to one shard; its rule is '${rule.kind}'`);
    }
    const named = [
      ...('arg' in rule ? [rule.arg] : []),
      ...('scopeArg' in rule ? [rule.scopeArg] : []),
      ...(rule.kind === 'connection' ? ['first', 'after'] : []),
    ];
    for (const arg of named) {
      if (!args.has(arg))
        problems.push(`the '${rule.kind}' rule of ${name} needs argument '${arg}', which it lacks`);
    }
  }
  if (problems.length) throw new Error(`Fan-out of subgraph '${subgraph}': ${problems.join('; ')}`);
}
