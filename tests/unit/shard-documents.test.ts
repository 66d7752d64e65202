// The documents the gateway sends a shard: only the fields planned for it, with the variables and
// fragments they use; printed once per operation and set of fields, never mixed up between them.
import { type FieldNode, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { documentFor, withSelections } from '../../gateway/src/fanout/selections';

const document = parse(`
  query Both($id: ID!, $first: Int, $unused: String) {
    credential(id: $id) { ...Basic }
    credentials(first: $first) { totalCount }
  }
  fragment Basic on Credential { id status }
`);
const operation = document.definitions[0] as OperationDefinitionNode;
const fragments = new Map(
  document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
);
const [credential, credentials] = operation.selectionSet.selections as FieldNode[];
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('documentFor', () => {
  it('keeps the variables and fragments of the chosen fields only', () => {
    const one = documentFor(operation, [credential as FieldNode], fragments);
    expect(squash(one.text)).toBe(
      'query Both($id: ID!) { credential(id: $id) { ...Basic } } fragment Basic on Credential { id status }',
    );
    expect([...one.variables]).toEqual(['id']);
    const other = documentFor(operation, [credentials as FieldNode], fragments);
    expect(squash(other.text)).toBe('query Both($first: Int) { credentials(first: $first) { totalCount } }');
    expect([...other.variables]).toEqual(['first']);
  });

  it('gives the same fields of the same operation the document printed before', () => {
    const first = documentFor(operation, [credential as FieldNode, credentials as FieldNode], fragments);
    const again = documentFor(operation, [credential as FieldNode, credentials as FieldNode], fragments);
    expect(again).toBe(first);
    const reversed = documentFor(operation, [credentials as FieldNode, credential as FieldNode], fragments);
    expect(squash(reversed.text)).toMatch(/^query Both\(\$id: ID!, \$first: Int\) \{ credentials/);
  });

  it('prints a field the plan rewrote as rewritten, each time', () => {
    const cursor: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'cursor' } };
    const rewritten = withSelections(credentials as FieldNode, [cursor]);
    expect(squash(documentFor(operation, [rewritten], fragments).text)).toBe(
      'query Both($first: Int) { credentials(first: $first) { totalCount cursor } }',
    );
    expect(squash(documentFor(operation, [credentials as FieldNode], fragments).text)).toBe(
      'query Both($first: Int) { credentials(first: $first) { totalCount } }',
    );
  });
});
