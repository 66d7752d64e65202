// Test identities: bearer tokens minted by a test identity provider whose key pair is made once per run;
// the region's gateway, registry and municipalities are all given its JWKS and check each token themselves.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { JWK } from 'jose';
import { type Authenticator, createAuthenticator } from '../../common/caller-tokens';
import { tokenKeys } from '../../common/token-keys';
import { DEMO_AUDIENCE, DEMO_ISSUER, type TokenClaims, type TrustMaterial } from '../../scripts/region/keys';

/** A fresh identity provider's key pair (ES256); a test makes a second one to play an impostor. */
export function testIdentityProvider(): TrustMaterial {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `test-idp-${randomBytes(4).toString('hex')}`;
  const about = { kid, alg: 'ES256', use: 'sig' };
  return {
    privateJwk: { ...(privateKey.export({ format: 'jwk' }) as JWK), ...about },
    jwks: { keys: [{ ...(publicKey.export({ format: 'jwk' }) as JWK), ...about }] },
  };
}

/** The identity provider of this run's regions (startRegion gives its JWKS to every member). */
export const TEST_IDENTITY_PROVIDER = testIdentityProvider();

/** A token checker as each member builds its own from the identity provider's JWKS (its own cache). */
export function callerTokensOf(
  provider: TrustMaterial = TEST_IDENTITY_PROVIDER,
  now: () => number = Date.now,
): Authenticator {
  return createAuthenticator({
    keys: tokenKeys({ kind: 'jwks', jwks: provider.jwks as { keys: Record<string, unknown>[] } }),
    issuer: DEMO_ISSUER,
    audience: DEMO_AUDIENCE,
    // The member's own clock: a test that sets the subgraphs' clock checks tokens against it too.
    now: () => new Date(now()),
  });
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An ES256 token of `provider` (by default this run's), signed at once. It is valid for a year, so
 * that tests whose clocks are set to another day still accept it.
 */
export function testToken(
  claims: TokenClaims,
  provider: TrustMaterial = TEST_IDENTITY_PROVIDER,
  options: { issuer?: string; audience?: string } = {},
): string {
  const iat = Math.floor(Date.now() / 1000);
  const header = encode({ alg: 'ES256', kid: provider.privateJwk.kid, typ: 'JWT' });
  const payload = encode({
    sub: claims.subject,
    role: claims.role,
    ...(claims.municipality ? { municipality: claims.municipality } : {}),
    iss: options.issuer ?? DEMO_ISSUER,
    aud: options.audience ?? DEMO_AUDIENCE,
    iat,
    exp: iat + 365 * 24 * 3600,
  });
  const key = {
    key: provider.privateJwk as never,
    format: 'jwk' as const,
    dsaEncoding: 'ieee-p1363' as const,
  };
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/** The Authorization header of a caller with these claims. */
export const bearer = (claims: TokenClaims, provider?: TrustMaterial) => ({
  authorization: `Bearer ${testToken(claims, provider)}`,
});

export const asOfficer = (municipality: string, subject = `officer-${municipality.toLowerCase()}`) =>
  bearer({ subject, role: 'officer', municipality });

export const asRegistryAdmin = (subject = 'registry-admin') => bearer({ subject, role: 'registry_admin' });

export const asEmployer = (subject = 'employer-1') => bearer({ subject, role: 'employer' });

export const asAnalyst = (subject = 'analyst-1') => bearer({ subject, role: 'analyst' });

export const asAuditor = (subject = 'auditor-1') => bearer({ subject, role: 'auditor' });
