// The declared merge rules are checked against the contract at start-up; every problem is named.

import { checkMergeRules, MERGE_RULES } from '../../gateway/src/fanout/rules';
import { subgraphSdl } from '../../schema/contract';

const withQuery = (name: 'credentials' | 'workforce', extra: string) => `${subgraphSdl(name)}\n${extra}\n`;

describe('merge rule validation', () => {
  it('accepts the contract with the declared table', () => {
    expect(() => checkMergeRules('credentials', subgraphSdl('credentials'))).not.toThrow();
    expect(() => checkMergeRules('workforce', subgraphSdl('workforce'))).not.toThrow();
  });

  it('refuses a root field that has no rule, naming it', () => {
    const sdl = withQuery('credentials', 'extend type Query { credentialCount: Int! }');
    expect(() => checkMergeRules('credentials', sdl)).toThrow(
      "Fan-out of subgraph 'credentials': no merge rule for Query.credentialCount",
    );
  });

  it('refuses a rule for a field the contract lacks', () => {
    const rules = {
      ...MERGE_RULES.workforce,
      'Query.placementz': { kind: 'route-by-id', arg: 'id' } as const,
    };
    expect(() => checkMergeRules('workforce', subgraphSdl('workforce'), rules)).toThrow(
      'merge rules for fields the contract lacks: Query.placementz',
    );
  });

  it('refuses a mutation that is not routed to exactly one shard', () => {
    const sdl = withQuery('credentials', 'type Mutation { revokeAll(municipalities: [ID!]): Int! }');
    const rules = {
      ...MERGE_RULES.credentials,
      'Mutation.revokeAll': { kind: 'concat', scopeArg: 'municipalities', orderBy: [] } as const,
    };
    expect(() => checkMergeRules('credentials', sdl, rules)).toThrow(
      "Mutation.revokeAll is a mutation, so it must be routed to one shard; its rule is 'concat'",
    );
  });

  it('refuses a rule naming an argument the field lacks, and reports every problem at once', () => {
    const rules = {
      ...MERGE_RULES.credentials,
      'Query.credential': { kind: 'route-by-id', arg: 'credentialId' } as const,
      'Query.credentials': { kind: 'connection', scopeArg: 'issuers' } as const,
    };
    expect(() => checkMergeRules('credentials', subgraphSdl('credentials'), rules)).toThrow(
      "the 'route-by-id' rule of Query.credential needs argument 'credentialId', which it lacks; " +
        "the 'connection' rule of Query.credentials needs argument 'issuers', which it lacks",
    );
  });
});
