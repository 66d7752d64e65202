// Answers written straight into the client's selection: a finisher describes its types as views
// over its own data, and the selection is compiled once per request into a writer, so a large answer
// is built without an intermediate object per element and without walking the selection per element.
// The result is the one `project` (aggregate.ts) gives for the same objects with their __typename.
import { Kind, type SelectionSetNode } from 'graphql';
import { type Fragments, flattenFields, responseKey } from './selections';

type Json = Record<string, unknown>;

/**
 * A field of a view, read from the source of the object and, for an element of a list, its index:
 * a leaf value; an object, read by `get` and written by `object`; or a list of `length(source)`
 * elements, element i written by `list` from the same source and index i.
 */
export type FieldView<S> =
  | ((source: S, index: number) => unknown)
  | { object: ObjectView<never>; get(source: S, index: number): unknown }
  | { list: ObjectView<S>; length(source: S): number };

/** A GraphQL object type over sources of type S. Fields it does not name are null, as in `project`. */
export interface ObjectView<S> {
  typename: string;
  fields: Readonly<Record<string, FieldView<S>>>;
}

type Writer = (source: unknown, index: number) => Json;

/** Compiles the writer of `set` over `view`: fields with one response key are merged, as in `project`. */
export function compileView<S>(
  view: ObjectView<S>,
  set: SelectionSetNode | undefined,
  fragments: Fragments,
): (source: S, index: number) => Json {
  const byKey = new Map<string, { name: string; selections: SelectionSetNode['selections'][number][] }>();
  for (const f of flattenFields(set, fragments)) {
    const key = responseKey(f);
    const entry = byKey.get(key) ?? { name: f.name.value, selections: [] };
    entry.selections.push(...(f.selectionSet?.selections ?? []));
    byKey.set(key, entry);
  }
  const keys: string[] = [];
  const reads: ((source: unknown, index: number) => unknown)[] = [];
  for (const [key, { name, selections }] of byKey) {
    keys.push(key);
    reads.push(fieldReader(view as ObjectView<unknown>, name, selections, fragments));
  }
  const width = keys.length;
  const write: Writer = (source, index) => {
    const out: Json = {};
    for (let k = 0; k < width; k++) out[keys[k] as string] = (reads[k] as Writer)(source, index);
    return out;
  };
  return write as (source: S, index: number) => Json;
}

function fieldReader(
  view: ObjectView<unknown>,
  name: string,
  selections: SelectionSetNode['selections'][number][],
  fragments: Fragments,
): (source: unknown, index: number) => unknown {
  if (name === '__typename') return () => view.typename;
  const field = Object.hasOwn(view.fields, name) ? view.fields[name] : undefined;
  if (field === undefined) return () => null;
  const set: SelectionSetNode = { kind: Kind.SELECTION_SET, selections };
  if (typeof field === 'function') return (source, index) => field(source, index) ?? null;
  if ('object' in field) {
    const write = compileView(field.object as ObjectView<unknown>, set, fragments);
    return (source, index) => {
      const child = field.get(source, index);
      return child === null || child === undefined ? null : write(child, index);
    };
  }
  const write = compileView(field.list, set, fragments);
  return (source) => {
    const n = field.length(source);
    const out = new Array<Json>(n);
    for (let i = 0; i < n; i++) out[i] = write(source, i);
    return out;
  };
}
