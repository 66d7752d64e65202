// Enforces the contract's @authenticated and @requiresScopes before execution: walks the
// operation with TypeInfo and refuses it with one error naming every field the caller may not read.

import type { ApolloServerPlugin } from '@apollo/server';
import {
  type ConstDirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  getNamedType,
  getOperationAST,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Caller } from '../../../schema/caller';
import { CODES } from '../../../schema/errors';
import { isAuthenticated, scopesOf } from './scopes';

export interface Requirement {
  authenticated: boolean;
  /** Any one inner list, all of its scopes held, satisfies the requirement. */
  scopes: string[][] | null;
}

/** Requirements by "Type.field" and by "Type", read from the supergraph's security directives. */
export type Requirements = ReadonlyMap<string, Requirement>;

function requirementOf(directives: readonly ConstDirectiveNode[] | undefined): Requirement | null {
  let found = null as Requirement | null;
  for (const d of directives ?? []) {
    if (d.name.value === 'authenticated') found = { authenticated: true, scopes: found?.scopes ?? null };
    if (d.name.value === 'requiresScopes') {
      const arg = d.arguments?.find((a) => a.name.value === 'scopes')?.value;
      const scopes =
        arg?.kind === Kind.LIST
          ? arg.values.map((inner) =>
              inner.kind === Kind.LIST
                ? inner.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []))
                : [],
            )
          : [];
      found = { authenticated: true, scopes };
    }
  }
  return found;
}

export function requirementsFromSupergraph(supergraphSdl: string): Requirements {
  const out = new Map<string, Requirement>();
  for (const def of parse(supergraphSdl).definitions) {
    if (!('name' in def) || !def.name || !('directives' in def)) continue;
    const typeName = def.name.value;
    const own = requirementOf(def.directives as readonly ConstDirectiveNode[] | undefined);
    if (own) out.set(typeName, own);
    if ('fields' in def && Array.isArray(def.fields)) {
      for (const f of def.fields as {
        name: { value: string };
        directives?: readonly ConstDirectiveNode[];
      }[]) {
        const req = requirementOf(f.directives);
        if (req) out.set(`${typeName}.${f.name.value}`, req);
      }
    }
  }
  return out;
}

function satisfied(req: Requirement, caller: Caller): boolean {
  if (!isAuthenticated(caller)) return false;
  if (req.scopes === null) return true;
  const held = scopesOf(caller);
  return req.scopes.some((group) => group.every((s) => held.has(s)));
}

function describe(req: Requirement): string {
  if (req.scopes === null) return 'an authenticated caller';
  return req.scopes.map((g) => `scope ${g.join(' + ')}`).join(' or ');
}

/** A field of an operation that has a requirement: its own, or its type's. */
export interface Guard {
  coordinate: string;
  requirement: Requirement;
}

/**
 * The guarded fields of the chosen operation (and the fragments it uses), in the order the
 * operation reads them. They depend on the document, the schema and the requirements only, not on
 * the caller. (Exported for the per-request benchmark: it is the walk every request made before.)
 */
export function guardsOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  requirements: Requirements,
): Guard[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const guards: Guard[] = [];
  const pending: (typeof operation | FragmentDefinitionNode)[] = [operation];
  const queued = new Set<string>();
  while (pending.length > 0) {
    const node = pending.pop();
    if (!node) break;
    const typeInfo = new TypeInfo(schema);
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (fragment && !queued.has(spread.name.value)) {
            queued.add(spread.name.value);
            pending.push(fragment);
          }
        },
        Field() {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (!parent || !field) return;
          const coordinate = `${parent.name}.${field.name}`;
          for (const requirement of [
            requirements.get(coordinate),
            requirements.get(getNamedType(field.type).name),
          ]) {
            if (requirement) guards.push({ coordinate, requirement });
          }
        },
      }),
    );
  }
  return guards;
}

interface KnownGuards {
  schema: GraphQLSchema;
  requirements: Requirements;
  byOperation: Map<string, Guard[]>;
}

/**
 * Guards by parsed document: Apollo Server hands the same document object to every request with
 * the same text, so the walk with TypeInfo runs once per operation, not per request. A reload
 * (another schema or other requirements) walks again.
 */
const known = new WeakMap<DocumentNode, KnownGuards>();

function cachedGuardsOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  requirements: Requirements,
): Guard[] {
  let entry = known.get(document);
  if (!entry || entry.schema !== schema || entry.requirements !== requirements) {
    entry = { schema, requirements, byOperation: new Map() };
    known.set(document, entry);
  }
  const key = operationName ?? '';
  let guards = entry.byOperation.get(key);
  if (!guards) {
    guards = guardsOf(schema, document, operationName, requirements);
    entry.byOperation.set(key, guards);
  }
  return guards;
}

/** Fields of the chosen operation (and the fragments it uses) that the caller may not read. */
export function deniedFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  requirements: Requirements,
  caller: Caller,
): string[] {
  const denied = new Map<string, string>();
  for (const { coordinate, requirement } of cachedGuardsOf(schema, document, operationName, requirements)) {
    if (!denied.has(coordinate) && !satisfied(requirement, caller))
      denied.set(coordinate, describe(requirement));
  }
  return [...denied].map(([coordinate, need]) => `${coordinate} (needs ${need})`);
}

/** @param requirements the running supergraph's, read per request so that a reload changes them. */
export function authorizationPlugin<C extends { caller: Caller }>(
  requirements: Requirements | (() => Requirements),
): ApolloServerPlugin<C> {
  const current = typeof requirements === 'function' ? requirements : () => requirements;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, contextValue }) {
          const denied = deniedFields(schema, document, operationName, current(), contextValue.caller);
          if (denied.length === 0) return;
          const anonymous = !isAuthenticated(contextValue.caller);
          throw new GraphQLError(
            `${anonymous ? 'Authentication required' : 'Not allowed'} for ${denied.join(', ')}`,
            {
              extensions: {
                code: anonymous ? CODES.UNAUTHENTICATED : CODES.FORBIDDEN,
                fields: denied.map((d) => d.slice(0, d.indexOf(' '))),
                http: { status: anonymous ? 401 : 403 },
              },
            },
          );
        },
      };
    },
  };
}
