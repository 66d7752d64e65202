// Keys of their own, through real servers: one member's key cannot call another as the gateway, a call
// signed for one member is refused by every other, a withdrawn key is refused once the directory's TTL
// has passed, and the gateway rotates its key under load without a failed request. Each refusal is
// coded, leaks nothing, and is in the owner's audit log.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rotateMemberKey } from '../../common/key-rotation';
import { type MemberKey, MemberKeyring } from '../../common/member-keys';
import { signCall } from '../../common/message-signatures';
import type { InProcessRegion } from '../support/in-process';
import { postJson } from '../support/raw-post';
import { auditOf, bearer, demoPolicy, officerOf, SECURITY_DAY, startSecureRegion } from './region';

const TTL_MS = 30_000;
/** The members' clock runs ahead of the real one by `offset`; tests move it past the directory's TTL. */
let offset = 0;

let r: InProcessRegion;
beforeAll(async () => {
  r = await startSecureRegion({
    trust: {
      policies: Object.fromEntries(['NB', 'SB', 'RV'].map((c) => [c, demoPolicy(c)])),
      defaultCaller: null,
      partners: { now: () => Date.parse(`${SECURITY_DAY}T12:00:00Z`) },
      now: () => Date.now() + offset,
      directoryTtlMs: TTL_MS,
    },
  });
}, 600_000);
afterAll(() => r?.close());

const QUERY = JSON.stringify({
  query: '{ credentials(first: 2) { edges { node { id holder { displayName } } } } }',
});
/** What a gateway once sent to name the caller; owners now read callers from the user's token alone. */
const FORGED_CALLER = {
  'x-crossgate-caller': Buffer.from(
    JSON.stringify({ subject: 'mallory', role: 'officer', municipality: 'SB', purpose: null }),
  ).toString('base64url'),
};

const shardOf = (code: string) => {
  const shard = r.shards.find((s) => s.spec.codes.includes(code));
  if (!shard) throw new Error(`no shard serves ${code}`);
  return shard;
};

function signedFor(key: MemberKey, url: string, body = QUERY) {
  return signCall(key, { method: 'POST', url, body, headers: FORGED_CALLER }, Date.now());
}

/** undici's request, not fetch: a test sets Host as an attacker would. */
const send = (url: string, headers: Record<string, string>, body = QUERY) => postJson(url, headers, body);

async function expectRefused(url: string, headers: Record<string, string>, owner: string, reason: string) {
  // Refusals are counted per source and interval: write what was counted before, then this one alone.
  await shardOf(owner).server.flushRefusals();
  const before = (await auditOf(r, owner)).length;
  const { status, json, text } = await send(url, headers);
  expect(status).toBe(401);
  expect(json.data).toBeUndefined();
  expect(json.errors?.[0]?.extensions).toEqual({ code: 'SIGNATURE_INVALID', municipality: owner });
  expect(json.errors?.[0]?.message).toContain(`call ${reason}`);
  // Nothing of the owner's records, nor any address, in the refusal.
  expect(text).not.toMatch(/displayName|http:\/\//);
  await shardOf(owner).server.flushRefusals();
  const entries = (await auditOf(r, owner)).slice(before);
  expect(entries).toEqual([
    expect.objectContaining({
      subject: 'unverified:127.0.0.1',
      decision: 'denied',
      reason: expect.stringMatching(new RegExp(`^1 request refused from .* \\(${reason}: 1\\)$`)),
    }),
  ]);
}

describe("a member's key is its own", () => {
  it("refuses municipality NB's key calling SB as the gateway", async () => {
    const sb = shardOf('SB').server.credentialsUrl;
    await expectRefused(sb, signedFor(shardOf('NB').keyring.current, sb), 'SB', 'wrong-role');
  });

  it('refuses at SB a gateway call captured on its way to NB, whatever address it claims', async () => {
    const nb = shardOf('NB').server.credentialsUrl;
    const sb = shardOf('SB').server.credentialsUrl;
    const captured = signedFor(r.keys.gateway.current, nb);
    // The signature covers NB's address: at SB the target URI differs, so the signature does not verify.
    await expectRefused(sb, captured, 'SB', 'forged');
    // Claiming NB's address in Host does not help: SB answers only at its own addresses.
    await expectRefused(sb, { ...captured, host: new URL(nb).host }, 'SB', 'wrong-target');
    // The call itself was genuine: NB, its receiver, accepts it.
    const atNb = await send(nb, captured);
    expect(atNb.status).toBe(200);
  });
});

describe('a withdrawn key', () => {
  it('is refused by every member once the directory TTL has passed, and works until then', async () => {
    const sb = shardOf('SB').server.credentialsUrl;
    const spare = MemberKeyring.open(mkdtempSync(join(tmpdir(), 'crossgate-spare-')), 'gateway').current;
    await r.registry.memberKeys.admit([{ member: 'gateway', role: 'gateway', jwk: spare.publicJwk }]);
    // An unknown key id makes SB read the directory again (at most once a second by its clock).
    offset += 2_000;
    expect((await send(sb, signedFor(spare, sb))).status).toBe(200);
    await r.registry.memberKeys.withdraw(spare.kid as string);
    // Within the TTL SB still uses its copy: the withdrawal takes at most one TTL to reach it.
    expect((await send(sb, signedFor(spare, sb))).status).toBe(200);
    offset += TTL_MS + 1_000;
    await expectRefused(sb, signedFor(spare, sb), 'SB', 'unknown-key');
    // The gateway's own key is untouched by the withdrawal of another.
    const answer = await r.query(
      '{ credentials(first: 2) { edges { node { id } } } }',
      undefined,
      await bearer(r, officerOf('SB')),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.credentials.edges).toHaveLength(2);
  });
});

describe('rotating the gateway key', () => {
  it('publishes the next key, signs with it and retires the old one, under load, with no failed request', async () => {
    const headers = await bearer(r, officerOf('NB'));
    const query = '{ credentials(first: 3) { edges { node { id } } } }';
    const failures: unknown[] = [];
    let answered = 0;
    let rotating = true;
    const worker = async () => {
      // Keeps asking until the rotation is over, then a few more times with the new key.
      for (let after = 0; rotating || after < 3; after += rotating ? 0 : 1) {
        const res = await r.query(query, undefined, headers);
        answered++;
        if (res.errors) failures.push(res.errors);
      }
    };
    const old = r.keys.gateway.current.kid;
    const workers = Array.from({ length: 4 }, worker);
    const rotation = await rotateMemberKey({
      keyring: r.keys.gateway,
      registryUrl: r.registryUrl,
      settleMs: 1_500,
    }).finally(() => {
      rotating = false;
    });
    await Promise.all(workers);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThanOrEqual(12);
    expect(rotation).toEqual({ retired: old, current: r.keys.gateway.current.kid });
    expect(rotation.current).not.toBe(old);
    // The directory lists the retired key only until its grace ends; the new key is listed for the gateway.
    const listed = await r.registry.memberKeys.directory([]);
    const next = listed.keys.find((k) => (k.jwk as { kid?: string }).kid === rotation.current);
    expect(next).toMatchObject({ member: 'gateway', role: 'gateway', notAfter: null });
    const retired = listed.keys.find((k) => (k.jwk as { kid?: string }).kid === old);
    expect(retired?.notAfter).not.toBeNull();
  });
});
