// Limits on the shape of an operation (depth, aliases, tokens, directives, cost) and no field
// suggestions outside development: graphql-armor's protections, configured in one place. The token
// limit is graphql-js' own parser option, so that exceeding it is a syntax error (HTTP 400) like
// any other, where armor's token plugin throws from a hook (HTTP 500). Armor's depth limit skips
// introspection; introspection-depth.ts bounds it on its own.
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { introspectionDepthRule, STANDARD_INTROSPECTION_DEPTH } from './introspection-depth';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxCost: number;
  /** Deepest nesting of an introspection query (graphql-js' own query is 15 deep). */
  maxIntrospectionDepth?: number;
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
  const protection = armor.protect();
  return {
    ...protection,
    validationRules: [
      ...protection.validationRules,
      introspectionDepthRule(limits.maxIntrospectionDepth ?? STANDARD_INTROSPECTION_DEPTH),
    ],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}
