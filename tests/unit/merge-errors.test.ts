// Shard error paths are local to the shard: merging re-points them at the merged index and drops
// those of items a page did not keep.
import { type FieldNode, type OperationDefinitionNode, parse } from 'graphql';
import { mergeConcat } from '../../gateway/src/fanout/merge-concat';
import {
  connectionShape,
  mergeConnection,
  type ShardResult,
} from '../../gateway/src/fanout/merge-connection';
import type { Shard } from '../../gateway/src/fanout/shards';
import { encodeKeyCursor } from '../../schema/cursor';

const shard = (id: string): Shard => ({ id, codes: [id], url: `http://10.0.0.1/${id}` });
const NB = shard('NB');
const SB = shard('SB');

const field = (parse('{ credentials { edges { node { id } } } }').definitions[0] as OperationDefinitionNode)
  .selectionSet.selections[0] as FieldNode;

/** A shard's connection answer as the fan-out asks for it: client edges plus the `_cg_` extras. */
function page(code: string, dates: string[]): unknown {
  const keys = dates.map((d, i) => [d, code, `C-${i}`]);
  return {
    edges: keys.map((k) => ({ node: { id: `${code}:${k[2]}` } })),
    _cg_edges: keys.map((k) => ({ _cg_cursor: encodeKeyCursor(k) })),
    _cg_info: { hasNextPage: false, endCursor: null },
    _cg_total: keys.length,
  };
}

describe('error re-pointing', () => {
  it('moves a connection edge error to its merged index and drops errors of edges cut by first', () => {
    const results: ShardResult[] = [
      {
        shard: NB,
        value: page('NB', ['2020-01-02', '2020-01-05']),
        errors: [
          { message: 'kept', path: ['credentials', 'edges', 0, 'node', 'id'], extensions: { code: 'X' } },
          { message: 'cut', path: ['credentials', 'edges', 1, 'node', 'id'], extensions: { code: 'X' } },
        ],
      },
      {
        shard: SB,
        value: page('SB', ['2020-01-01', '2020-01-03']),
        errors: [{ message: 'second', path: ['credentials', 'edges', 1, 'node'], extensions: { code: 'Y' } }],
      },
    ];
    const merged = mergeConnection('credentials', connectionShape(field, new Map()), results, {}, 3);
    expect(((merged.value?.edges ?? []) as { node: { id: string } }[]).map((e) => e.node.id)).toEqual([
      'SB:C-0',
      'NB:C-0',
      'SB:C-1',
    ]);
    expect(merged.errors).toEqual([
      {
        message: 'kept',
        path: ['credentials', 'edges', 1, 'node', 'id'],
        extensions: { code: 'X', municipality: 'NB' },
      },
      {
        message: 'second',
        path: ['credentials', 'edges', 2, 'node'],
        extensions: { code: 'Y', municipality: 'SB' },
      },
    ]);
  });

  it('moves a list item error to its merged index and strips URLs from messages', () => {
    const item = (id: string, from: string) => ({ id, _cg_o0: from, _cg_o1: id });
    const merged = mergeConcat(
      'credentialsOfHolder',
      [
        {
          shard: NB,
          value: [item('NB:C-1', '2021-01-01')],
          errors: [{ message: 'at http://10.0.0.1/NB failed', path: ['credentialsOfHolder', 0, 'status'] }],
        },
        { shard: SB, value: [item('SB:C-1', '2020-01-01')], errors: [] },
      ],
      2,
    );
    expect(merged.value).toEqual([{ id: 'SB:C-1' }, { id: 'NB:C-1' }]);
    expect(merged.errors).toEqual([
      {
        message: 'at <subgraph> failed',
        path: ['credentialsOfHolder', 1, 'status'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', municipality: 'NB' },
      },
    ]);
  });
});
