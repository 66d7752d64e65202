// The registry's signed directory: checked against the registry's keys, one changed byte refuses it,
// a key is valid only inside its window, and a member's keys are found by member and role.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DirectoryDocument,
  KeyDirectory,
  openDirectory,
  signDirectory,
} from '../../common/key-directory';
import { MemberKeyring, publicKeyOf } from '../../common/member-keys';

const folder = () => mkdtempSync(join(tmpdir(), 'crossgate-directory-'));
const registry = MemberKeyring.open(folder(), 'registry').current;
const gateway = MemberKeyring.open(folder(), 'gateway').current;
const trusted = (kid: string) => (kid === registry.kid ? publicKeyOf(registry.publicJwk) : null);

const doc: DirectoryDocument = {
  issuedAt: '2026-11-01T12:00:00.000Z',
  keys: [
    {
      member: 'gateway',
      role: 'gateway',
      jwk: gateway.publicJwk as Record<string, unknown>,
      notBefore: '2026-11-01T00:00:00.000Z',
      notAfter: '2026-11-02T00:00:00.000Z',
    },
  ],
  addresses: [{ member: 'NB', url: 'http://10.0.0.7:4101/credentials' }],
};

describe('the signed directory', () => {
  it("opens a directory signed by the registry's key", async () => {
    expect(await openDirectory(await signDirectory(registry, doc), trusted)).toEqual(doc);
  });

  it('refuses it when one byte of its content is changed', async () => {
    const [header, payload, signature] = (await signDirectory(registry, doc)).split('.');
    const text = Buffer.from(payload as string, 'base64url')
      .toString()
      .replace('"gateway"', '"gatewaz"');
    const tampered = [header, Buffer.from(text).toString('base64url'), signature].join('.');
    await expect(openDirectory(tampered, trusted)).rejects.toThrow();
  });

  it('refuses a directory signed by any other member', async () => {
    await expect(openDirectory(await signDirectory(gateway, doc), trusted)).rejects.toThrow(
      /not a registry key/,
    );
  });

  it('lists a key only inside its validity window, and names each member its addresses', async () => {
    const directory = new KeyDirectory({ ttlMs: 30_000, load: async () => doc });
    const kid = gateway.kid;
    expect(await directory.signerKey(kid, Date.parse('2026-11-01T12:00:00Z'))).toMatchObject({
      role: 'gateway',
      members: ['gateway'],
    });
    expect(await directory.signerKey(kid, Date.parse('2026-10-31T23:59:59Z'))).toBeNull();
    expect(await directory.signerKey(kid, Date.parse('2026-11-02T00:00:00Z'))).toBeNull();
    expect(await directory.authoritiesOf(['NB'])).toEqual(['10.0.0.7:4101']);
  });

  it('serves the last copy while the registry cannot be read, until the copy is too old', async () => {
    let t = Date.parse('2026-11-01T12:00:00Z');
    let registryUp = true;
    const directory = new KeyDirectory({
      ttlMs: 30_000,
      staleMs: 600_000,
      now: () => t,
      load: async () => {
        if (!registryUp) throw new Error('the registry could not be reached');
        return doc;
      },
    });
    expect(await directory.signerKey(gateway.kid, t)).not.toBeNull();
    registryUp = false;
    // A registry down for five minutes stops no call: the last signed copy still answers.
    t += 300_000;
    expect(await directory.signerKey(gateway.kid, t)).toMatchObject({ role: 'gateway' });
    // Past the stale bound every lookup fails, so every call is refused.
    t += 301_000;
    await expect(directory.signerKey(gateway.kid, t)).rejects.toThrow('could not be reached');
    // Back up: read again at once.
    registryUp = true;
    t += 2_000;
    expect(await directory.signerKey(gateway.kid, t)).not.toBeNull();
  });

  it("finds a member's keys by member and role, a shard's one key for each municipality it holds", async () => {
    const shard = MemberKeyring.open(folder(), 'NB+SB').current;
    const listed = (member: string) => ({
      member,
      role: 'municipality' as const,
      jwk: shard.publicJwk as Record<string, unknown>,
      notBefore: '2026-11-01T00:00:00.000Z',
      notAfter: null,
    });
    const directory = new KeyDirectory({
      ttlMs: 30_000,
      load: async () => ({ ...doc, keys: [...doc.keys, listed('NB'), listed('SB')] }),
    });
    const kids = async (member: string, role: 'municipality' | 'gateway') =>
      (await directory.keysOfMember(member, role)).map((k) => k.kid);
    expect(await kids('NB', 'municipality')).toEqual([shard.kid]);
    expect(await kids('SB', 'municipality')).toEqual([shard.kid]);
    expect(await kids('RV', 'municipality')).toEqual([]);
    expect(await kids('gateway', 'municipality')).toEqual([]);
    expect(await kids('gateway', 'gateway')).toEqual([gateway.kid]);
  });

  it('waits longer after each failed read in a row, up to sixteen times the minimum, and reads at once when back', async () => {
    let t = Date.parse('2026-11-01T12:00:00Z');
    let reads = 0;
    let registryUp = false;
    const directory = new KeyDirectory({
      ttlMs: 30_000,
      now: () => t,
      load: async () => {
        reads++;
        if (!registryUp) throw new Error('the registry could not be reached');
        return doc;
      },
    });
    // Each lookup in the wait after a failure answers that failure without asking the registry again.
    const readsOver = async (ms: number, step = 100) => {
      const before = reads;
      for (let passed = 0; passed < ms; passed += step) {
        t += step;
        await directory.signerKey(gateway.kid, t).catch(() => undefined);
      }
      return reads - before;
    };
    await directory.signerKey(gateway.kid, t).catch(() => undefined);
    expect(reads).toBe(1);
    // Waits of 1, 2, 4, 8, 16, 16… s, each jittered down to as little as half: over a minute, from six
    // reads (the longest waits) to eleven (the shortest), where a fixed one-second wait reads sixty.
    const inAMinute = await readsOver(60_000);
    expect(inAMinute).toBeLessThanOrEqual(11);
    expect(inAMinute).toBeGreaterThanOrEqual(5);
    registryUp = true;
    expect(await readsOver(16_000)).toBe(1);
    expect(await directory.signerKey(gateway.kid, t)).not.toBeNull();
  });
});
