// The registry accepts only calls signed by a member's own key, and vouches for partnership: a
// municipality releases holder names to another's officers only while an agreement binding them is
// in force, asks the registry (signed with its own key, cached briefly) to find out, and refuses when it cannot.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemberKeyring } from '../../common/member-keys';
import { signCall } from '../../common/message-signatures';
import type { InProcessRegion } from '../support/in-process';
import {
  auditOf,
  bearer,
  changeAgreement,
  credentialOf,
  demoPolicy,
  officerOf,
  SECURITY_DAY,
  startSecureRegion,
} from './region';

/** The municipalities' partner caches run on this clock; tests move it past the cache's lifetime. */
let clock = Date.parse(`${SECURITY_DAY}T12:00:00Z`);
const TTL_MS = 30_000;
const afterTheCacheExpires = () => {
  clock += TTL_MS + 1;
};

let r: InProcessRegion;
beforeAll(async () => {
  r = await startSecureRegion({
    trust: {
      policies: Object.fromEntries(['NB', 'SB', 'RV'].map((c) => [c, demoPolicy(c)])),
      defaultCaller: null,
      partners: { now: () => clock, ttlMs: TTL_MS },
    },
  });
});
afterAll(() => r?.close());

describe('only members, each signing with its own key, may call the registry', () => {
  const body = JSON.stringify({ query: '{ memberDirectory { code credentialsUrl } }' });
  const send = (headers: Record<string, string>) =>
    fetch(r.registryUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    }).then(async (res) => ({ status: res.status, json: await res.json() }));
  const signed = (key = r.keys.gateway.current, at = Date.now()) =>
    signCall(key, { method: 'POST', url: r.registryUrl, body, headers: {} }, at);

  it('refuses an unsigned request, without data', async () => {
    const { status, json } = await send({});
    expect(status).toBe(401);
    expect(json.data).toBeUndefined();
    expect(json.errors[0].extensions).toEqual({ code: 'SIGNATURE_INVALID' });
    expect(json.errors[0].message).toContain('call missing');
    expect(JSON.stringify(json)).not.toContain('credentialsUrl');
  });

  it('refuses a call signed with a key the directory does not list', async () => {
    const stranger = MemberKeyring.open(mkdtempSync(join(tmpdir(), 'crossgate-stranger-')), 'gateway');
    const { status, json } = await send(signed(stranger.current));
    expect(status).toBe(401);
    expect(json.errors[0].message).toContain('call unknown-key');
    expect(JSON.stringify(json)).not.toContain('credentialsUrl');
  });

  it('accepts a genuinely signed request once and refuses its replay', async () => {
    const headers = signed();
    const first = await send(headers);
    expect(first.status).toBe(200);
    expect(first.json.data.memberDirectory.map((m: { code: string }) => m.code).sort()).toEqual([
      'NB',
      'RV',
      'SB',
    ]);
    const replay = await send(headers);
    expect(replay.status).toBe(401);
    expect(replay.json.errors[0]).toMatchObject({
      message: expect.stringContaining('call replayed'),
      extensions: { code: 'SIGNATURE_INVALID' },
    });
  });

  it('refuses a signed request with a stale timestamp', async () => {
    const { status, json } = await send(signed(undefined, Date.now() - 10 * 60_000));
    expect(status).toBe(401);
    expect(json.errors[0].message).toContain('call stale');
  });

  it('still answers registry fields through the gateway, which signs every registry call', async () => {
    const res = await r.query('{ municipalities { code } agreement(id: "AG-001") { id inForce } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.agreement).toEqual({ id: 'AG-001', inForce: true });
  });
});

const HOLDER = `query($id: ID!) { credential(id: $id) { id holder { displayName } } }`;
const PURPOSE = 'case 2026/207: recognition of a welder';

async function readName(reader: string, owner: string, index: number) {
  const c = credentialOf(owner, index);
  const res = await r.query(
    HOLDER,
    { id: `${owner}:${c.localId}` },
    await bearer(r, officerOf(reader), PURPOSE),
  );
  return { res, holderId: `${owner}:${c.holderLocalId}` };
}

const deniedEntries = async (owner: string, holderId: string) =>
  (await auditOf(r, owner)).filter((e) => e.decision === 'denied' && e.recordIds.includes(holderId));

describe('holder names only to officers of municipalities with an agreement in force', () => {
  it('releases an RV holder name to an NB officer with a purpose while AG-002 binds them', async () => {
    const { res } = await readName('NB', 'RV', 0);
    expect(res.errors).toBeUndefined();
    expect(res.data.credential.holder.displayName.length).toBeGreaterThan(0);
  });

  it('keeps the last answer until the cache expires, then refuses once AG-002 is terminated, and logs it', async () => {
    await changeAgreement(r, 'terminateAgreement', { id: 'AG-002', on: SECURITY_DAY }, 'registry-end-ag2');
    const cached = await readName('NB', 'RV', 1);
    expect(cached.res.errors).toBeUndefined();

    afterTheCacheExpires();
    const { res, holderId } = await readName('NB', 'RV', 2);
    expect(res.data?.credential?.holder ?? null).toBeNull();
    const error = res.errors?.find((e) => e.extensions?.code === 'FORBIDDEN');
    expect(error?.extensions).toMatchObject({ municipality: 'RV', field: 'Holder.displayName' });
    const denied = await deniedEntries('RV', holderId);
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ subject: 'officer-nb', home: 'NB', purpose: PURPOSE });
    expect(denied[0]?.reason).toContain('does not release Holder.displayName to officer of NB');
  });

  it('still releases SB names to NB under AG-001, until AG-001 and AG-005 are suspended', async () => {
    const before = await readName('NB', 'SB', 0);
    expect(before.res.errors).toBeUndefined();
    await changeAgreement(r, 'suspendAgreement', { id: 'AG-001', on: SECURITY_DAY }, 'registry-halt-ag1');
    await changeAgreement(r, 'suspendAgreement', { id: 'AG-005', on: SECURITY_DAY }, 'registry-halt-ag5');
    afterTheCacheExpires();
    const { res, holderId } = await readName('NB', 'SB', 1);
    expect(res.errors?.find((e) => e.extensions?.code === 'FORBIDDEN')?.extensions?.municipality).toBe('SB');
    expect(await deniedEntries('SB', holderId)).toHaveLength(1);
  });

  it('fails closed when the registry cannot be asked: refused with AGREEMENTS_UNAVAILABLE, and logged', async () => {
    // SB completes its ratification of AG-003: RV and SB become partners.
    await changeAgreement(
      r,
      'ratifyAgreement',
      { id: 'AG-003', on: SECURITY_DAY, municipality: 'SB' },
      'registry-ratify-ag3',
    );
    afterTheCacheExpires();
    expect((await readName('RV', 'SB', 2)).res.errors).toBeUndefined();

    await r.registry.close();
    afterTheCacheExpires();
    const { res, holderId } = await readName('RV', 'SB', 3);
    const error = res.errors?.find((e) => e.extensions?.code === 'AGREEMENTS_UNAVAILABLE');
    expect(error?.extensions).toMatchObject({ municipality: 'SB', field: 'Holder.displayName' });
    expect(error?.message).toContain('could not confirm the agreements in force');
    expect(JSON.stringify(res)).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED/);
    const denied = await deniedEntries('SB', holderId);
    expect(denied).toHaveLength(1);
    expect(denied[0]?.reason).toContain('the registry could not be reached');

    // The municipality's own officers do not depend on the registry.
    const own = await readName('SB', 'SB', 4);
    expect(own.res.errors).toBeUndefined();
  });
});
