// The shape an operation's answer must have for @apollo/gateway's result shaping to leave it as it
// is: compiled once per operation, then checked against each answer without building anything.
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  isEnumType,
  isLeafType,
  Kind,
  type OperationDefinitionNode,
  print,
  type SelectionSetNode,
} from 'graphql';

/** One value of the answer: its nullability, and a list, an object or a leaf. */
type ValueShape =
  | { nonNull: boolean; kind: 'list'; of: ValueShape }
  | { nonNull: boolean; kind: 'object'; object: ObjectShape }
  | { nonNull: boolean; kind: 'leaf'; accepts: (value: unknown) => boolean };

interface ObjectShape {
  typename: string;
  /** Response keys in the order the operation asks for them, which is the order of the answer. */
  keys: string[];
  /** Per key: `null` for `__typename`, whose value must be the object's own type. */
  values: (ValueShape | null)[];
}

export interface AnswerShape {
  root: ObjectShape;
}

type Fragments = Record<string, FragmentDefinitionNode>;

/** Ineligible: the operation's answer needs @apollo/gateway's shaping (or it is not one fetch's). */
class Ineligible extends Error {}

const isInteger = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e21;

/** Which leaf values @apollo/gateway keeps (federation-internals' `isValidLeafValue`); the rest it nulls. */
function leafCheck(type: GraphQLOutputType): (value: unknown) => boolean {
  if (isEnumType(type)) {
    const names = new Set(type.getValues().map((v) => v.name));
    return (v) => typeof v === 'string' && names.has(v);
  }
  switch ((type as { name: string }).name) {
    case 'Boolean':
      return (v) => typeof v === 'boolean';
    case 'Int':
      return isInteger;
    case 'ID':
      return (v) => typeof v === 'string' || isInteger(v);
    case 'Float':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'String':
      return (v) => typeof v === 'string';
    default:
      return () => true; // custom scalars are passed on as they come
  }
}

function valueShape(
  type: GraphQLOutputType,
  set: SelectionSetNode | undefined,
  fragments: Fragments,
  out: string[],
): ValueShape {
  const nonNull = type instanceof GraphQLNonNull;
  const inner = nonNull ? (type as GraphQLNonNull<GraphQLOutputType>).ofType : type;
  if (inner instanceof GraphQLList) {
    return { nonNull, kind: 'list', of: valueShape(inner.ofType, set, fragments, out) };
  }
  if (inner instanceof GraphQLObjectType) {
    if (!set) throw new Ineligible();
    return { nonNull, kind: 'object', object: objectShape(inner, set, fragments, out) };
  }
  if (!isLeafType(inner) || set) throw new Ineligible(); // interfaces and unions need shaping by __typename
  return { nonNull, kind: 'leaf', accepts: leafCheck(inner) };
}

/** The fields of `set` on `type`, fragments on the type itself flattened; anything conditional refused. */
function fieldsOf(type: GraphQLObjectType, set: SelectionSetNode, fragments: Fragments): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const s of set.selections) {
    if (s.directives?.length) throw new Ineligible();
    if (s.kind === Kind.FIELD) fields.push(s);
    else {
      const fragment = s.kind === Kind.FRAGMENT_SPREAD ? fragments[s.name.value] : s;
      if (!fragment || fragment.directives?.length) throw new Ineligible();
      const on = fragment.typeCondition?.name.value;
      if (on !== undefined && on !== type.name) throw new Ineligible();
      fields.push(...fieldsOf(type, fragment.selectionSet, fragments));
    }
  }
  return fields;
}

const argumentsText = (field: FieldNode) =>
  (field.arguments ?? [])
    .map((a) => `${a.name.value}:${print(a.value)}`)
    .sort()
    .join(',');

function objectShape(
  type: GraphQLObjectType,
  set: SelectionSetNode,
  fragments: Fragments,
  out: string[],
): ObjectShape {
  const shape: ObjectShape = { typename: type.name, keys: [], values: [] };
  out.push('{');
  for (const field of fieldsOf(type, set, fragments)) {
    const key = field.alias?.value ?? field.name.value;
    if (shape.keys.includes(key)) throw new Ineligible(); // merged fields: left to the gateway
    shape.keys.push(key);
    out.push(`${key}:${field.name.value}(${argumentsText(field)})`);
    if (field.name.value === '__typename') {
      shape.values.push(null);
      continue;
    }
    const definition: GraphQLField<unknown, unknown> | undefined = type.getFields()[field.name.value];
    if (!definition) throw new Ineligible(); // introspection (__schema, __type) is answered by the gateway
    shape.values.push(valueShape(definition.type, field.selectionSet, fragments, out));
  }
  out.push('}');
  return shape;
}

/** Writes the fetch's selection as text in the same form; false when it holds fragments or directives. */
function fetchText(set: SelectionSetNode, out: string[]): boolean {
  out.push('{');
  for (const s of set.selections) {
    if (s.kind !== Kind.FIELD || s.directives?.length) return false;
    out.push(`${s.alias?.value ?? s.name.value}:${s.name.value}(${argumentsText(s)})`);
    if (s.selectionSet && !fetchText(s.selectionSet, out)) return false;
  }
  out.push('}');
  return true;
}

/**
 * The answer shape of a query whose plan is the single fetch `fetch`, when the fetch asks exactly the
 * operation's fields, in the same order and with the same arguments: an answer of that shape is then
 * the operation's answer as it is. Null when the gateway must shape the answer.
 */
export function answerShape(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Fragments,
  fetch: DocumentNode,
): AnswerShape | null {
  const root = schema.getQueryType();
  const fetched = fetch.definitions;
  const only = fetched[0];
  if (operation.operation !== 'query' || !root || operation.directives?.length) return null;
  if (fetched.length !== 1 || only?.kind !== Kind.OPERATION_DEFINITION || only.operation !== 'query')
    return null;
  const asked: string[] = [];
  const sent: string[] = [];
  try {
    const shape = objectShape(root, operation.selectionSet, fragments, asked);
    if (!fetchText(only.selectionSet, sent) || asked.join('') !== sent.join('')) return null;
    return { root: shape };
  } catch (e) {
    if (e instanceof Ineligible) return null;
    throw e;
  }
}

function fitsValue(value: unknown, shape: ValueShape): boolean {
  if (value === null) return !shape.nonNull;
  if (value === undefined) return false;
  if (shape.kind === 'leaf') return shape.accepts(value);
  if (shape.kind === 'object') return fitsObject(value, shape.object);
  if (!Array.isArray(value)) return false;
  for (const item of value) if (!fitsValue(item, shape.of)) return false;
  return true;
}

function fitsObject(value: unknown, shape: ObjectShape): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const object = value as Record<string, unknown>;
  let i = 0;
  for (const key in object) {
    if (key !== shape.keys[i]) return false;
    i++;
  }
  if (i !== shape.keys.length) return false;
  for (let k = 0; k < shape.keys.length; k++) {
    const v = object[shape.keys[k] as string];
    const expected = shape.values[k] as ValueShape | null;
    if (expected === null ? v !== shape.typename : !fitsValue(v, expected)) return false;
  }
  return true;
}

/**
 * Whether `data` is, key for key and in order, what result shaping would make of it: every field
 * present, nothing extra, no null where the schema forbids one, every leaf a valid value of its type.
 */
export const fitsShape = (data: unknown, shape: AnswerShape): boolean => fitsObject(data, shape.root);
