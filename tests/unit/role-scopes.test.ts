// Roles and policies agree: every grant of a municipality's release policy goes to roles whose
// scopes let the gateway pass the field at all, or the grant is dead and the role can never use it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DocumentNode, Kind, parse, type TypeNode } from 'graphql';
import { type Requirements, requirementsFromSupergraph } from '../../gateway/src/auth/authorize';
import { ROLE_SCOPES } from '../../gateway/src/auth/scopes';
import type { Role } from '../../schema/caller';
import { readSupergraph } from '../../schema/contract';
import { type PolicyFile, PolicyFileSchema } from '../../subgraphs/municipal/policy/policy';

const POLICY_DIR = join(__dirname, '../../policies');

const namedType = (type: TypeNode): string =>
  type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);

/** The return type of every "Type.field" of the contract. */
function fieldTypes(document: DocumentNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const def of document.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of def.fields ?? [])
      out.set(`${def.name.value}.${field.name.value}`, namedType(field.type));
  }
  return out;
}

/** The coordinates a policy key covers: one field, or every field of a type ("Holder.*"). */
function coordinatesOf(key: string, types: ReadonlyMap<string, string>): string[] {
  if (!key.endsWith('.*')) return types.has(key) ? [key] : [];
  const prefix = key.slice(0, -1);
  return [...types.keys()].filter((c) => c.startsWith(prefix));
}

function roleMayPass(
  role: Role,
  coordinate: string,
  requirements: Requirements,
  types: ReadonlyMap<string, string>,
) {
  const held = new Set(ROLE_SCOPES[role]);
  const typeName = coordinate.slice(0, coordinate.indexOf('.'));
  const returned = types.get(coordinate);
  const checks = [
    requirements.get(coordinate),
    requirements.get(typeName),
    returned && requirements.get(returned),
  ];
  return checks.every((req) => {
    if (!req) return true;
    if (role === 'anonymous') return false;
    return req.scopes === null || req.scopes.some((group) => group.every((s) => held.has(s)));
  });
}

/** Each explicit grant of the policy that names a role the gateway would never let through. */
function deadGrants(
  policy: PolicyFile,
  requirements: Requirements,
  types: ReadonlyMap<string, string>,
): string[] {
  const found: string[] = [];
  for (const [key, grants] of Object.entries(policy.fields)) {
    const coordinates = coordinatesOf(key, types);
    if (coordinates.length === 0) found.push(`${policy.municipality}: ${key} names no field of the contract`);
    for (const grant of grants) {
      for (const role of grant.roles) {
        const blocked = coordinates.filter((c) => !roleMayPass(role, c, requirements, types));
        if (blocked.length > 0)
          found.push(
            `${policy.municipality}: ${key} grants ${role}, whose scopes do not reach ${blocked.join(', ')}`,
          );
      }
    }
  }
  return found;
}

const supergraph = parse(readSupergraph());
const requirements = requirementsFromSupergraph(readSupergraph());
const types = fieldTypes(supergraph);
const policies = readdirSync(POLICY_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => PolicyFileSchema.parse(JSON.parse(readFileSync(join(POLICY_DIR, f), 'utf8'))));

describe('roles and release policies', () => {
  it('reads every policy of the region', () => {
    expect(policies.map((p) => p.municipality).sort()).toEqual(['LK', 'NB', 'RV', 'SB']);
  });

  it.each(policies.map((p) => [p.municipality, p] as const))(
    'grants %s fields only to roles whose scopes reach them',
    (_code, policy) => {
      expect(deadGrants(policy, requirements, types)).toEqual([]);
    },
  );

  it('gives auditors the scope to read holders, which the policies grant them with a purpose', () => {
    expect(roleMayPass('auditor', 'Query.holder', requirements, types)).toBe(true);
    expect(roleMayPass('auditor', 'Holder.displayName', requirements, types)).toBe(true);
  });

  it('names a grant that the role scopes forbid', () => {
    const policy = PolicyFileSchema.parse({
      municipality: 'SB',
      default: [],
      fields: {
        'Holder.*': [{ roles: ['analyst', 'officer'] }],
        'Query.auditTrail': [{ roles: ['employer'] }],
        'Query.noSuchField': [{ roles: ['officer'] }],
      },
    });
    const found = deadGrants(policy, requirements, types);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^SB: Holder\.\* grants analyst, whose scopes do not reach Holder\./);
    expect(found[1]).toBe('SB: Query.auditTrail grants employer, whose scopes do not reach Query.auditTrail');
    expect(found[2]).toBe('SB: Query.noSuchField names no field of the contract');
  });
});
