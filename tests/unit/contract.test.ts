// The regional contract composes, and the checked-in supergraph is the one it composes to.

import { checkMergeRules } from '../../gateway/src/fanout/rules';
import { composeContract, readContract, readSupergraph } from '../../schema/contract';

describe('the regional contract', () => {
  it('composes, and schema/supergraph.graphql is up to date (run `npm run compose` if not)', () => {
    const outcome = composeContract();
    if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
    expect(readSupergraph()).toBe(outcome.supergraphSdl);
  });

  it('reports composition errors readably', () => {
    const sdls = readContract();
    const broken = {
      ...sdls,
      workforce: sdls.workforce.replace('credential: Credential', 'credential: Credential!\n  id2: Int @key'),
    };
    const outcome = composeContract(broken);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors.join('\n')).toMatch(/@key/);
  });

  it('has a merge rule for every root field of the fanned-out subgraphs', () => {
    const sdls = readContract();
    expect(() => checkMergeRules('credentials', sdls.credentials)).not.toThrow();
    expect(() => checkMergeRules('workforce', sdls.workforce)).not.toThrow();
    const extra = sdls.workforce.replace('type Query {', 'type Query {\n  unruled: Int');
    expect(() => checkMergeRules('workforce', extra)).toThrow(/no merge rule for Query.unruled/);
  });
});
