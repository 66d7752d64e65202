// A depth limit for introspection: graphql-armor's depth limit leaves __schema and __type alone,
// so without this an `ofType` chain (or fields → type → fields …) may nest as deep as a caller likes.
import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/** The depth of graphql-js' own introspection query (getIntrospectionQuery), which every IDE sends. */
export const STANDARD_INTROSPECTION_DEPTH = 15;

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/** Deepest field nesting below `set`, counting `set`'s own fields as 1; fragments are followed once per path. */
function depthOf(
  set: SelectionSetNode | undefined,
  fragments: (name: string) => FragmentDefinitionNode | null | undefined,
  path: ReadonlySet<string>,
): number {
  let deepest = 0;
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, fragments, path));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, path));
    } else {
      const name = selection.name.value;
      const fragment = fragments(name);
      if (!fragment || path.has(name)) continue;
      deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, new Set([...path, name])));
    }
  }
  return deepest;
}

/** The introspection fields at the root of an operation, through fragments at the root too. */
function introspectionRoots(
  set: SelectionSetNode,
  fragments: (name: string) => FragmentDefinitionNode | null | undefined,
  seen: Set<string> = new Set(),
): SelectionSetNode[] {
  const found: SelectionSetNode[] = [];
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (INTROSPECTION_ROOTS.has(selection.name.value))
        found.push({ kind: Kind.SELECTION_SET, selections: [selection] });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      found.push(...introspectionRoots(selection.selectionSet, fragments, seen));
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments(selection.name.value);
      if (fragment) found.push(...introspectionRoots(fragment.selectionSet, fragments, seen));
    }
  }
  return found;
}

/** Refuses an operation whose introspection part nests deeper than `maxDepth` fields. */
export function introspectionDepthRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const fragments = (name: string) => context.getFragment(name);
      for (const root of introspectionRoots(operation.selectionSet, fragments)) {
        const depth = depthOf(root, fragments, new Set());
        if (depth <= maxDepth) continue;
        context.reportError(
          new GraphQLError(
            `Introspection depth limit of ${maxDepth} exceeded: the operation nests ${depth} fields below the root`,
            { nodes: root.selections, extensions: { limit: 'introspectionDepth', maxDepth, depth } },
          ),
        );
        return;
      }
    },
  });
}
