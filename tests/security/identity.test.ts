// Who may call: bearer tokens checked at the gateway, scopes from the contract enforced before execution.

import { generateTrustMaterial, mintToken } from '../../scripts/region/keys';
import type { InProcessRegion } from '../support/in-process';
import { bearer, credentialOf, officerOf, startSecureRegion } from './region';

let r: InProcessRegion;
beforeAll(async () => {
  r = await startSecureRegion();
  // Generous: the region starts in one process beside other suites on a shared machine.
}, 600_000);
afterAll(() => r?.close());

const CREDENTIAL = `query($id: ID!) { credential(id: $id) { id status } }`;
const LIST = `{ credentials(first: 3) { totalCount edges { node { id } } } }`;

async function post(headers: Record<string, string>, query = LIST) {
  const res = await fetch(r.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      data?: unknown;
      errors?: { message: string; extensions: Record<string, unknown> }[];
    },
  };
}

describe('authentication at the gateway', () => {
  it('refuses a protected field without a token, naming the field', async () => {
    const { status, body } = await post({});
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toContain('Query.credentials');
    expect(body.errors?.[0]?.extensions.fields).toEqual(['Query.credentials']);
  });

  it('answers a public field without a token', async () => {
    const res = await r.query('{ municipalities { code } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.municipalities).toHaveLength(3);
  });

  it('accepts a valid officer token and maps it to a caller', async () => {
    const { status, body } = await post(await bearer(r, officerOf('NB')));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect((body.data as { credentials: { totalCount: number } }).credentials.totalCount).toBeGreaterThan(0);
  });

  it('refuses a token signed by a key the gateway does not trust', async () => {
    const stranger = await generateTrustMaterial('stranger');
    const forged = await mintToken({ ...stranger.privateJwk, kid: r.trust.privateJwk.kid }, officerOf('NB'));
    const { status, body } = await post({ authorization: `Bearer ${forged}` });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toBe('The bearer token is not signed by a trusted key');
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const token = await r.token({ subject: 'e-1', role: 'employer' });
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const raised = Buffer.from(JSON.stringify({ ...claims, role: 'auditor' })).toString('base64url');
    const { status, body } = await post({ authorization: `Bearer ${h}.${raised}.${s}` });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired token', async () => {
    const expired = await r.token(officerOf('NB'), { ttlSec: -120 });
    const { status, body } = await post({ authorization: `Bearer ${expired}` });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.message).toBe('The bearer token has expired');
  });

  it('refuses a token minted for another audience or by another issuer', async () => {
    const otherAudience = await r.token(officerOf('NB'), { audience: 'some-other-api' });
    const a = await post({ authorization: `Bearer ${otherAudience}` });
    expect(a.status).toBe(401);
    expect(a.body.errors?.[0]?.message).toContain('audience');
    const otherIssuer = await r.token(officerOf('NB'), { issuer: 'https://elsewhere.example' });
    const b = await post({ authorization: `Bearer ${otherIssuer}` });
    expect(b.status).toBe(401);
    expect(b.body.errors?.[0]?.message).toContain('issuer');
  });

  it('refuses an unsigned token (alg none) and a malformed header', async () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'x', role: 'auditor', exp: 9_999_999_999 }),
    ).toString('base64url')}.`;
    expect((await post({ authorization: `Bearer ${none}` })).status).toBe(401);
    const malformed = await post({ authorization: 'Basic dXNlcjpwYXNz' });
    expect(malformed.status).toBe(401);
    expect(malformed.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('takes the Bearer scheme in any case, as RFC 6750 says', async () => {
    const token = await r.token(officerOf('NB'));
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      const { status, body } = await post({ authorization: `${scheme} ${token}` });
      expect([scheme, status, body.errors]).toEqual([scheme, 200, undefined]);
    }
    const other = await post({ authorization: `Bearerx ${token}` });
    expect(other.status).toBe(401);
    expect(other.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an officer token that names no municipality', async () => {
    const token = await r.token({ subject: 'o-x', role: 'officer' });
    const { status, body } = await post({ authorization: `Bearer ${token}` });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.message).toContain("officer's municipality");
  });
});

describe('scopes declared in the contract', () => {
  it('forbids an analyst the people fields, naming each one', async () => {
    const c = credentialOf('SB');
    const res = await r.query(
      `query($id: ID!) { credential(id: $id) { id holder { displayName regionalHolderId } } }`,
      { id: `SB:${c.localId}` },
      await bearer(r, { subject: 'an-1', role: 'analyst' }),
    );
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.message).toContain('Credential.holder');
    expect(res.errors?.[0]?.message).toContain('people:read');
    // Holder is marked as a type: every field returning it needs the scope.
    expect(res.errors?.[0]?.extensions?.fields).toEqual(['Credential.holder']);
  });

  it('checks fields reached through fragments too', async () => {
    const res = await r.query(
      `query { ...Q } fragment Q on Query { auditTrail(municipality: "NB") { edges { node { seq } } } }`,
      undefined,
      await bearer(r, { subject: 'em-1', role: 'employer' }),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.extensions?.fields).toEqual(['Query.auditTrail']);
  });

  it("lets an auditor who states a purpose read holders, as the municipalities' policies grant", async () => {
    const c = credentialOf('SB');
    const query = `query($id: ID!) { credential(id: $id) { id holder { displayName } } }`;
    const auditor = { subject: 'aud-holders', role: 'auditor' } as const;
    const withPurpose = await r.query(
      query,
      { id: `SB:${c.localId}` },
      await bearer(r, auditor, 'audit of cross-border lookups'),
    );
    expect(withPurpose.errors).toBeUndefined();
    expect(withPurpose.data.credential.holder.displayName).toEqual(expect.any(String));
    // Without a purpose the owner refuses: the scope lets the request through, the policy decides.
    const without = await r.query(query, { id: `SB:${c.localId}` }, await bearer(r, auditor));
    expect(without.errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');
  });

  it('lets an employer look up a presented credential but not list the region', async () => {
    const headers = await bearer(r, { subject: 'em-2', role: 'employer' });
    const c = credentialOf('RV');
    const one = await r.query(CREDENTIAL, { id: `RV:${c.localId}` }, headers);
    expect(one.errors).toBeUndefined();
    expect(one.data.credential.id).toBe(`RV:${c.localId}`);
    const list = await r.query(LIST, undefined, headers);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
