// The gateway's field checks: the guarded fields of an operation are found once per parsed document,
// and the answer still depends on the caller, the chosen operation and the requirements in force.
import { buildSchema, parse } from 'graphql';
import { deniedFields, requirementsFromSupergraph } from '../../gateway/src/auth/authorize';
import { ANONYMOUS, type Caller } from '../../schema/caller';

const DIRECTIVES = `
  directive @authenticated on FIELD_DEFINITION | OBJECT
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
`;
const SDL = `${DIRECTIVES}
  type Query {
    open: String
    credential: Credential @authenticated
    holder: Holder
  }
  type Credential {
    id: ID!
    audit: String @requiresScopes(scopes: [["audit:read"]])
  }
  type Holder @requiresScopes(scopes: [["people:read"]]) {
    name: String
  }
`;
const schema = buildSchema(SDL);
const requirements = requirementsFromSupergraph(SDL);

const caller = (role: Caller['role']): Caller => ({ ...ANONYMOUS, subject: role, role });

describe('deniedFields', () => {
  it('answers each caller for itself on the same parsed document', () => {
    const document = parse('{ open credential { id audit } holder { name } }');
    expect(deniedFields(schema, document, undefined, requirements, ANONYMOUS)).toEqual([
      'Query.credential (needs an authenticated caller)',
      'Credential.audit (needs scope audit:read)',
      'Query.holder (needs scope people:read)',
    ]);
    expect(deniedFields(schema, document, undefined, requirements, caller('employer'))).toEqual([
      'Credential.audit (needs scope audit:read)',
      'Query.holder (needs scope people:read)',
    ]);
    expect(deniedFields(schema, document, undefined, requirements, caller('officer'))).toEqual([]);
    // The anonymous caller again, after the document's guards were kept: the same refusal.
    expect(deniedFields(schema, document, undefined, requirements, ANONYMOUS)).toHaveLength(3);
  });

  it('checks the operation chosen by name, and the fragments it spreads', () => {
    const document = parse(`
      query Open { open }
      query Audit { credential { ...Audited } }
      fragment Audited on Credential { audit }
    `);
    const employer = caller('employer');
    expect(deniedFields(schema, document, 'Open', requirements, employer)).toEqual([]);
    expect(deniedFields(schema, document, 'Audit', requirements, employer)).toEqual([
      'Credential.audit (needs scope audit:read)',
    ]);
    expect(deniedFields(schema, document, 'Open', requirements, employer)).toEqual([]);
  });

  it('follows new requirements on a document checked before (a reloaded supergraph)', () => {
    const document = parse('{ credential { id } }');
    const employer = caller('employer');
    expect(deniedFields(schema, document, undefined, requirements, employer)).toEqual([]);
    const stricter = requirementsFromSupergraph(
      SDL.replace(
        'credential: Credential @authenticated',
        'credential: Credential @requiresScopes(scopes: [["credentials:read"]])',
      ),
    );
    expect(deniedFields(schema, document, undefined, stricter, employer)).toEqual([
      'Query.credential (needs scope credentials:read)',
    ]);
    expect(deniedFields(schema, document, undefined, requirements, employer)).toEqual([]);
  });
});
