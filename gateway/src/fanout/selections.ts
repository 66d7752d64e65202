// Reading and editing the operations the planner sends a fanned-out subgraph.
import {
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse as parseSnippet,
  print,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
  visit,
} from 'graphql';

export type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

export function responseKey(field: FieldNode): string {
  return field.alias?.value ?? field.name.value;
}

/** The fields of a selection set, with inline fragments and fragment spreads flattened. */
export function flattenFields(set: SelectionSetNode | undefined, fragments: Fragments): FieldNode[] {
  const out: FieldNode[] = [];
  const walk = (selections: readonly SelectionNode[]) => {
    for (const s of selections) {
      if (s.kind === Kind.FIELD) out.push(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet.selections);
      else {
        const f = fragments.get(s.name.value);
        if (f) walk(f.selectionSet.selections);
      }
    }
  };
  if (set) walk(set.selections);
  return out;
}

/** Response keys under which `fieldName` appears in a selection set, and their sub-selections. */
export function selectionsOf(set: SelectionSetNode | undefined, fieldName: string, fragments: Fragments) {
  return flattenFields(set, fragments).filter((f) => f.name.value === fieldName);
}

export function argumentValue(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, variables) : undefined;
}

export function literal(value: unknown): ValueNode {
  if (value === null || value === undefined) return { kind: Kind.NULL };
  if (typeof value === 'string') return { kind: Kind.STRING, value };
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { kind: Kind.INT, value: String(value) }
      : { kind: Kind.FLOAT, value: String(value) };
  }
  if (typeof value === 'boolean') return { kind: Kind.BOOLEAN, value };
  if (Array.isArray(value)) return { kind: Kind.LIST, values: value.map(literal) };
  throw new Error(`Cannot write ${typeof value} as a GraphQL literal`);
}

/** The field with argument `name` set to `value` (removed when value is undefined). */
export function withArgument(field: FieldNode, name: string, value: unknown): FieldNode {
  const others = (field.arguments ?? []).filter((a) => a.name.value !== name);
  const args: ArgumentNode[] =
    value === undefined
      ? others
      : [...others, { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: name }, value: literal(value) }];
  return { ...field, arguments: args };
}

/** Parses `alias: name { ... }` snippets the fan-out adds to a shard's selection. */
export function extraSelections(source: string): readonly SelectionNode[] {
  const doc = parseSnippet(`{ ${source} }`);
  return (doc.definitions[0] as OperationDefinitionNode).selectionSet.selections;
}

export function withSelections(field: FieldNode, extra: readonly SelectionNode[]): FieldNode {
  return {
    ...field,
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [...(field.selectionSet?.selections ?? []), ...extra],
    },
  };
}

/** A shard's document: its text, and the variables it uses. */
export interface ShardDocument {
  text: string;
  variables: ReadonlySet<string>;
}

/**
 * Documents already printed, by operation and by the positions of their fields in its root
 * selection: a fetch's operation is parsed once and planned per request, so the same fields are
 * printed again for every request otherwise.
 */
const printed = new WeakMap<OperationDefinitionNode, Map<string, ShardDocument>>();

/**
 * A document holding `fields` as the operation's root selection, with only the variable
 * definitions and fragments they use (a shard rejects unused ones as invalid). Fields of the
 * operation's own root selection are printed once per operation; fields rewritten by the plan
 * (with selections added) are printed each time.
 */
export function documentFor(
  operation: OperationDefinitionNode,
  fields: readonly FieldNode[],
  fragments: Fragments,
): ShardDocument {
  const roots = operation.selectionSet.selections;
  const positions = fields.map((f) => roots.indexOf(f));
  if (positions.includes(-1)) return printDocument(operation, fields, fragments);
  let byFields = printed.get(operation);
  if (!byFields) {
    byFields = new Map();
    printed.set(operation, byFields);
  }
  const key = positions.join(',');
  let doc = byFields.get(key);
  if (!doc) {
    doc = printDocument(operation, fields, fragments);
    byFields.set(key, doc);
  }
  return doc;
}

/** The document for `fields`, printed now (what `documentFor` keeps; the per-request benchmark times it). */
export function printDocument(
  operation: OperationDefinitionNode,
  fields: readonly FieldNode[],
  fragments: Fragments,
): ShardDocument {
  const usedFragments = new Set<string>();
  const usedVariables = new Set<string>();
  const scan = (node: FieldNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(s) {
        if (!usedFragments.has(s.name.value)) {
          usedFragments.add(s.name.value);
          const f = fragments.get(s.name.value);
          if (f) scan(f);
        }
      },
      Variable(v) {
        usedVariables.add(v.name.value);
      },
    });
  for (const f of fields) scan(f);
  const op: OperationDefinitionNode = {
    ...operation,
    variableDefinitions: (operation.variableDefinitions ?? []).filter((d) =>
      usedVariables.has(d.variable.name.value),
    ),
    selectionSet: { kind: Kind.SELECTION_SET, selections: fields },
  };
  const doc: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [op, ...[...usedFragments].flatMap((n) => fragments.get(n) ?? [])],
  };
  return { text: print(doc), variables: usedVariables };
}

export function pickVariables(
  all: Record<string, unknown> | undefined,
  names: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!all) return out;
  for (const n of names) if (n in all) out[n] = all[n];
  return out;
}
