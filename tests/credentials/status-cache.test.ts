// The gateway's status list cache: no fetch while a list is fresh, a fetch once it is stale or a
// lifecycle write dropped it, and a list that does not verify is never used.
import { signStatusList } from '../../common/credentials/status-credential';
import { emptyBitstring, setBit } from '../../common/credentials/status-list';
import type { IssuerDocument } from '../../gateway/src/presentations/issuer-documents';
import { statusListCache } from '../../gateway/src/presentations/status-cache';
import { generateIssuerKey } from '../../subgraphs/municipal/issuing/signing-key';

const URL = 'https://crossgate.example/issuers/SB/status/revocation';
const START = Date.parse('2026-11-01T12:00:00Z');

function issuer(maxAgeSeconds: number) {
  const key = generateIssuerKey();
  const state = { revoked: [] as number[], fetches: 0, signWith: key };
  const fetch = async (municipality: string, tail: string): Promise<IssuerDocument | null> => {
    if (municipality !== 'SB') return null;
    if (tail === 'jwks')
      return {
        status: 200,
        body: JSON.stringify({ keys: [key.publicJwk] }),
        maxAgeSeconds: 300,
        contentType: 'application/json',
      };
    state.fetches++;
    const bits = emptyBitstring();
    for (const i of state.revoked) setBit(bits, i);
    const body = await signStatusList(
      {
        issuerUrl: 'https://crossgate.example/issuers/SB',
        url: URL,
        purpose: 'revocation',
        bits,
        ttlSeconds: 3600,
        now: new Date(START),
      },
      state.signWith,
    );
    return { status: 200, body, maxAgeSeconds, contentType: 'application/vc+jwt' };
  };
  const keys = { keysOf: async (m: string) => (m === 'SB' ? [key.publicJwk] : null) };
  return { state, fetch, keys };
}

describe('statusListCache', () => {
  it('fetches a list once while it is fresh, again once stale or dropped', async () => {
    let now = START;
    const { state, fetch, keys } = issuer(30);
    const cache = statusListCache(fetch, keys, () => now);
    state.revoked = [7];
    const bits = await cache.bits('SB', URL, 'revocation');
    expect(((bits[0] ?? 0) >> 0) & 1).toBe(1);
    for (let i = 0; i < 20; i++) await cache.bits('SB', URL, 'revocation');
    expect(state.fetches).toBe(1);
    now += 31_000;
    await cache.bits('SB', URL, 'revocation');
    expect(state.fetches).toBe(2);
    cache.invalidate();
    state.revoked = [7, 8];
    const after = await cache.bits('SB', URL, 'revocation');
    expect(state.fetches).toBe(3);
    expect(after[1]).toBe(0x80);
  });

  it('refuses a list signed by another key, and a URL that is not the issuer list', async () => {
    const { state, fetch, keys } = issuer(30);
    const cache = statusListCache(fetch, keys, () => START);
    state.signWith = generateIssuerKey();
    await expect(cache.bits('SB', URL, 'revocation')).rejects.toThrow();
    await expect(cache.bits('SB', 'https://evil.example/list', 'revocation')).rejects.toThrow(/is not SB's/);
  });
});
