// The fetches the planner sends a fanned-out subgraph, parsed and analysed once per query text.
import {
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import type { MergeRule } from './rules';
import { type Fragments, flattenFields, responseKey } from './selections';

export interface RootField {
  field: FieldNode;
  key: string;
  rule: MergeRule | { kind: 'typename' };
}

export type ParsedFetch =
  | { kind: 'entities'; text: string }
  | { kind: 'root'; operation: OperationDefinitionNode; fragments: Fragments; fields: RootField[] };

export type RootFetch = Extract<ParsedFetch, { kind: 'root' }>;

/** Fetch texts kept before the cache starts over; the planner's own plan cache bounds how many exist. */
const CACHE_LIMIT = 2000;

export class FetchParser {
  private readonly parsed = new Map<string, ParsedFetch>();

  constructor(private readonly rules: Readonly<Record<string, MergeRule>>) {}

  /** Parses and analyses a fetch once per query text; throws when a root field has no usable rule. */
  parse(text: string): ParsedFetch {
    const cached = this.parsed.get(text);
    if (cached) return cached;
    const result = this.analyse(text);
    if (this.parsed.size > CACHE_LIMIT) this.parsed.clear();
    this.parsed.set(text, result);
    return result;
  }

  private analyse(text: string): ParsedFetch {
    const doc = parse(text);
    const operation = doc.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    if (!operation) throw new Error('Fetch has no operation');
    const fragments = new Map(
      doc.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((f) => [f.name.value, f]),
    );
    const roots = flattenFields(operation.selectionSet, fragments);
    if (roots.length === 1 && roots[0]?.name.value === '_entities') return { kind: 'entities', text };
    const typeName = operation.operation === 'mutation' ? 'Mutation' : 'Query';
    const fields = roots.map((field): RootField => {
      if (field.name.value === '__typename')
        return { field, key: responseKey(field), rule: { kind: 'typename' } };
      const rule = this.rules[`${typeName}.${field.name.value}`];
      if (!rule) throw new Error(`No merge rule for ${typeName}.${field.name.value}`);
      if (typeName === 'Mutation' && rule.kind !== 'route-by-id' && rule.kind !== 'route-by-municipality') {
        throw new Error(`Mutation ${field.name.value} must be routed to one municipality`);
      }
      return { field, key: responseKey(field), rule };
    });
    return { kind: 'root', operation, fragments, fields };
  }
}
