// @apollo/gateway refuses a supergraph with security features it cannot enforce (fail-closed).
// Crossgate enforces them itself (authorize.ts), so the gateway gets the supergraph without them.
import { type ConstArgumentNode, Kind, parse, print, visit } from 'graphql';

const ENFORCED_HERE = ['authenticated', 'requiresScopes'];

const isEnforcedLink = (args: readonly ConstArgumentNode[] | undefined) =>
  (args ?? []).some(
    (a) =>
      a.name.value === 'url' &&
      a.value.kind === Kind.STRING &&
      ENFORCED_HERE.some((name) => a.value.kind === Kind.STRING && a.value.value.includes(`/${name}/`)),
  );

export function withoutEnforcedDirectives(supergraphSdl: string): string {
  const stripped = visit(parse(supergraphSdl), {
    Directive(node) {
      if (ENFORCED_HERE.includes(node.name.value)) return null;
      if (node.name.value === 'link' && isEnforcedLink(node.arguments as readonly ConstArgumentNode[]))
        return null;
      return undefined;
    },
    DirectiveDefinition(node) {
      return ENFORCED_HERE.includes(node.name.value) ? null : undefined;
    },
    ScalarTypeDefinition(node) {
      return ENFORCED_HERE.some((name) => node.name.value.startsWith(`${name}__`)) ? null : undefined;
    },
  });
  return print(stripped);
}
