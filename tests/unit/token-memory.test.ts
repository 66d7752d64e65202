// The gateway checks a bearer token's signature once and remembers the caller until the token expires.
import type { IncomingMessage } from 'node:http';
import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { createAuthenticator } from '../../common/caller-tokens';
import { DEMO_AUDIENCE, DEMO_ISSUER, generateTrustMaterial, mintToken } from '../../scripts/region/keys';

const START = Date.parse('2026-11-01T12:00:00Z');

async function setUp() {
  const material = await generateTrustMaterial();
  const local = createLocalJWKSet(material.jwks as Parameters<typeof createLocalJWKSet>[0]);
  const keyLookups: string[] = [];
  const keys: JWTVerifyGetKey = (header, token) => {
    keyLookups.push(String(header.kid));
    return local(header, token);
  };
  let clock = START;
  const authenticate = createAuthenticator({
    keys,
    issuer: DEMO_ISSUER,
    audience: DEMO_AUDIENCE,
    now: () => new Date(clock),
  });
  const request = (token: string, purpose?: string) =>
    ({
      headers: {
        authorization: `Bearer ${token}`,
        ...(purpose ? { 'x-crossgate-purpose': purpose } : {}),
      },
    }) as unknown as IncomingMessage;
  return {
    material,
    keyLookups,
    authenticate,
    request,
    step: (ms: number) => {
      clock += ms;
    },
  };
}

describe('remembered token verification', () => {
  it('checks a token once and answers the same caller again, with each request’s own purpose', async () => {
    const t = await setUp();
    const token = await mintToken(
      t.material.privateJwk,
      { subject: 'officer-sb', role: 'officer', municipality: 'SB' },
      { now: START, ttlSec: 600 },
    );
    const first = await t.authenticate(t.request(token, 'licensing'));
    const second = await t.authenticate(t.request(token));
    expect(first).toEqual({
      subject: 'officer-sb',
      role: 'officer',
      municipality: 'SB',
      purpose: 'licensing',
    });
    expect(second).toEqual({ ...first, purpose: null });
    expect(t.keyLookups).toHaveLength(1);
  });

  it('refuses a remembered token once it has expired', async () => {
    const t = await setUp();
    const token = await mintToken(
      t.material.privateJwk,
      { subject: 'employer-1', role: 'employer' },
      { now: START, ttlSec: 60 },
    );
    await expect(t.authenticate(t.request(token))).resolves.toMatchObject({ subject: 'employer-1' });
    t.step(61_000 + 30_000);
    await expect(t.authenticate(t.request(token))).rejects.toMatchObject({
      message: 'The bearer token has expired',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('checks a token that differs from a remembered one, and refuses it when altered', async () => {
    const t = await setUp();
    const token = await mintToken(
      t.material.privateJwk,
      { subject: 'e-1', role: 'employer' },
      { now: START },
    );
    await t.authenticate(t.request(token));
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const raised = Buffer.from(JSON.stringify({ ...claims, role: 'auditor' })).toString('base64url');
    await expect(t.authenticate(t.request(`${h}.${raised}.${s}`))).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(t.keyLookups).toHaveLength(2);
  });
});
