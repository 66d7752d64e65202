// Every resolver of both subgraphs is a function named for its coordinate (resolveCredentialHolder
// for Credential.holder), so stack traces and profiles say which field was running.
import { alertResolvers } from '../../subgraphs/municipal/modules/alerts';
import { auditResolvers } from '../../subgraphs/municipal/modules/audit';
import { credentialResolvers } from '../../subgraphs/municipal/modules/credentials';
import { flowUseResolvers } from '../../subgraphs/municipal/modules/flow-uses';
import { flowResolvers } from '../../subgraphs/municipal/modules/flows';
import { placementResolvers } from '../../subgraphs/municipal/modules/placements';
import { verificationResolvers } from '../../subgraphs/municipal/modules/verification';
import { writeMutationResolvers } from '../../subgraphs/municipal/modules/write-mutations';
import { agreementResolvers } from '../../subgraphs/registry/modules/agreements/resolvers';
import { directoryResolvers } from '../../subgraphs/registry/modules/directory';
import { flowOutcomeResolvers } from '../../subgraphs/registry/modules/flow-outcomes';
import { recognitionResolvers } from '../../subgraphs/registry/modules/recognition/resolvers';

const MAPS = {
  alertResolvers,
  auditResolvers,
  credentialResolvers,
  flowUseResolvers,
  flowResolvers,
  placementResolvers,
  verificationResolvers,
  writeMutationResolvers,
  agreementResolvers,
  directoryResolvers,
  flowOutcomeResolvers,
  recognitionResolvers,
};

/** The name a resolver of `type.field` carries. */
function expectedName(type: string, field: string): string {
  const tail = field === '__resolveReference' ? 'Reference' : field.charAt(0).toUpperCase() + field.slice(1);
  return `resolve${type}${tail}`;
}

describe('resolver functions', () => {
  const misnamed: string[] = [];
  let count = 0;
  for (const [mapName, map] of Object.entries(MAPS)) {
    for (const [type, fields] of Object.entries(map as Record<string, Record<string, unknown>>)) {
      for (const [field, resolver] of Object.entries(fields)) {
        if (typeof resolver !== 'function') continue;
        count += 1;
        if (resolver.name !== expectedName(type, field)) {
          misnamed.push(`${mapName} ${type}.${field}: ${JSON.stringify(resolver.name)}`);
        }
      }
    }
  }

  it('covers the resolvers of both subgraphs', () => {
    expect(count).toBeGreaterThan(70);
  });

  it('are named for their coordinate, never anonymous or named only for the field', () => {
    expect(misnamed).toEqual([]);
  });

  it('tells an arrow assigned to a field from a named function', () => {
    const arrow = { holder: () => null };
    expect(arrow.holder.name).not.toBe(expectedName('Credential', 'holder'));
  });
});
