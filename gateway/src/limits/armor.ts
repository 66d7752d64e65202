// Limits on the shape of an operation (depth, aliases, tokens, directives, cost) and no field
// suggestions outside development: graphql-armor's protections, configured in one place. The token
// limit is graphql-js' own parser option, so that exceeding it is a syntax error (HTTP 400) like
// any other, where armor's token plugin throws from a hook (HTTP 500).
import { ApolloArmor } from '@escape.tech/graphql-armor';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxCost: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 20,
  maxCost: 20_000,
};

export function operationLimits(limits: OperationLimits, development: boolean) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    costLimit: { maxCost: limits.maxCost },
    blockFieldSuggestion: { enabled: !development },
  });
  return { ...armor.protect(), parseOptions: { maxTokens: limits.maxTokens } };
}
