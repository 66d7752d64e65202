// The gateway's status list cache: no fetch while a list is fresh, a fetch once it is stale or a
// lifecycle write dropped it, and a list not signed by a key the directory lists for its issuer is never used.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signStatusList } from '../../common/credentials/status-credential';
import { emptyBitstring, setBit } from '../../common/credentials/status-list';
import { KeyDirectory } from '../../common/key-directory';
import { MemberKeyring } from '../../common/member-keys';
import type { IssuerDocument } from '../../gateway/src/presentations/issuer-documents';
import { directoryIssuerKeys } from '../../gateway/src/presentations/issuer-keys';
import { statusListCache } from '../../gateway/src/presentations/status-cache';

const URL = 'https://crossgate.example/issuers/SB/status/revocation';
const START = Date.parse('2026-11-01T12:00:00Z');

const dir = mkdtempSync(join(tmpdir(), 'crossgate-status-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** SB signs with its member key; the gateway's keys of SB are what the directory lists for it. */
function issuer(maxAgeSeconds: number) {
  const keyring = MemberKeyring.open(mkdtempSync(join(dir, 'SB-')), 'SB');
  const key = keyring.current;
  const state = { revoked: [] as number[], fetches: 0, signWith: key };
  const fetch = async (municipality: string, _tail: string): Promise<IssuerDocument | null> => {
    if (municipality !== 'SB') return null;
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
  const directory = new KeyDirectory({
    load: async () => ({
      issuedAt: new Date(START).toISOString(),
      keys: [
        {
          member: 'SB',
          role: 'municipality',
          jwk: key.publicJwk as Record<string, unknown>,
          notBefore: new Date(START).toISOString(),
          notAfter: null,
        },
      ],
      addresses: [],
    }),
    ttlMs: 60_000,
    now: () => START,
  });
  return { state, fetch, keys: directoryIssuerKeys(directory), keyring };
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

  it('refuses a list signed by a key the directory does not list, and a URL that is not the issuer list', async () => {
    const { state, fetch, keys, keyring } = issuer(30);
    const cache = statusListCache(fetch, keys, () => START);
    // The member's own next key, not yet published: its JWKS would show it, the directory does not.
    state.signWith = keyring.createNext();
    await expect(cache.bits('SB', URL, 'revocation')).rejects.toThrow();
    await expect(cache.bits('SB', 'https://evil.example/list', 'revocation')).rejects.toThrow(/is not SB's/);
  });
});
