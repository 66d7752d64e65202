// The owner checks the caller itself, and signs what it answers, through real servers: a call signed
// with the gateway's own key but carrying no token is anonymous at the owner whatever caller it names;
// a token the identity provider did not sign is refused by the owner, coded and audited (and by the
// registry, which decides governance writes on the token alone); an answer
// altered on the way, or signed by another member's key, is refused by the gateway as that
// municipality's error while the others' data still comes back; and a member whose SDL answer is
// altered on the way is not admitted.
import { request } from 'undici';
import { signCall } from '../../common/message-signatures';
import { setMemberEndpoints } from '../../subgraphs/registry/seed';
import { testIdentityProvider, testToken } from '../support/callers';
import { type FaultyProxy, repointMembers, startFaultyProxy } from '../support/faulty-proxy';
import type { InProcessRegion } from '../support/in-process';
import { postJson } from '../support/raw-post';
import { auditOf, bearer, demoPolicy, officerOf, region, SECURITY_DAY, startSecureRegion } from './region';

let r: InProcessRegion;
let proxy: FaultyProxy;
beforeAll(async () => {
  r = await startSecureRegion({
    gateway: { development: false, breakerFailures: 0 },
    trust: {
      policies: Object.fromEntries(['NB', 'SB', 'RV'].map((c) => [c, demoPolicy(c)])),
      defaultCaller: null,
      partners: { now: () => Date.parse(`${SECURITY_DAY}T12:00:00Z`) },
      // SB is re-pointed at a proxy after start: its copy of the directory learns the new address soon.
      directoryTtlMs: 1000,
    },
  });
  const sb = r.shards.find((s) => s.spec.codes.includes('SB'));
  proxy = await startFaultyProxy(sb?.server.url ?? '');
  await repointMembers(r, [
    { code: 'SB', credentialsUrl: proxy.url('/credentials'), workforceUrl: proxy.url('/workforce') },
  ]);
}, 600_000);
afterAll(async () => {
  await r?.close();
  await proxy?.close();
});
beforeEach(() => {
  proxy.mode = 'pass';
  delete proxy.foreignKey;
});

const HOLDERS = JSON.stringify({
  query: '{ credentials(first: 5) { edges { node { id holder { displayName } } } } }',
});
/** Every SB holder's name: none may appear in an answer to a caller the owner did not verify. */
const SB_NAMES = region.holders.filter((h) => h.municipality === 'SB').map((h) => h.displayName);
/** The caller header a gateway once sent to name the caller: an officer of SB, in the gateway's word only. */
const FORGED_CALLER = {
  'x-crossgate-caller': Buffer.from(
    JSON.stringify({ subject: 'mallory', role: 'officer', municipality: 'SB', purpose: null }),
  ).toString('base64url'),
};

/** A call to SB signed with the gateway's own key, as a compromised gateway (or its key's thief) would make it. */
async function asTheGateway(headers: Record<string, string>) {
  const url = proxy.url('/credentials');
  const signed = signCall(
    r.keys.gateway.current,
    { method: 'POST', url, body: HOLDERS, headers },
    Date.now(),
  );
  return postJson(url, signed, HOLDERS);
}

describe('the owner checks the caller itself', () => {
  it("treats the gateway's own signed call with a forged caller and no token as anonymous", async () => {
    const before = (await auditOf(r, 'SB')).length;
    const { status, json, text } = await asTheGateway(FORGED_CALLER);
    // The call is genuinely the gateway's, so it is served: to an anonymous caller, who gets nothing.
    expect(status).toBe(200);
    expect(json.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', municipality: 'SB' });
    expect(json.errors?.[0]?.message).toContain('anonymous caller');
    for (const name of SB_NAMES) expect(text).not.toContain(name);
    const entries = (await auditOf(r, 'SB')).slice(before);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries)
      expect(e).toMatchObject({ subject: 'anonymous', role: 'anonymous', decision: 'denied' });
  });

  it('refuses a token the identity provider did not sign, with a code, and audits it', async () => {
    const impostor = testIdentityProvider();
    const forged = testToken(officerOf('SB'), impostor);
    const before = (await auditOf(r, 'SB')).length;
    const { status, json, text } = await asTheGateway({ authorization: `Bearer ${forged}` });
    expect(status).toBe(401);
    expect(json.data).toBeUndefined();
    expect(json.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', municipality: 'SB' });
    expect(json.errors?.[0]?.message).toContain('not signed by a trusted key');
    for (const name of SB_NAMES) expect(text).not.toContain(name);
    expect((await auditOf(r, 'SB')).slice(before)).toEqual([
      expect.objectContaining({
        subject: 'unverified',
        role: 'anonymous',
        decision: 'denied',
        reason: expect.stringContaining('caller token refused'),
      }),
    ]);
    // The identity provider's own token for the same officer is served, names and all.
    const genuine = await asTheGateway({ authorization: `Bearer ${testToken(officerOf('SB'))}` });
    expect(genuine.status).toBe(200);
    expect(genuine.json.errors).toBeUndefined();
    expect(SB_NAMES.some((name) => genuine.text.includes(name))).toBe(true);
  });
});

describe('the registry decides governance writes on the token it checks itself', () => {
  const SUSPEND = JSON.stringify({
    query:
      'mutation { suspendAgreement(id: "AG-001", on: "2026-11-01", idempotencyKey: "owner-checks-1", reason: "forged") { id status } }',
  });
  async function toTheRegistry(headers: Record<string, string>) {
    const url = r.registryUrl;
    const signed = signCall(
      r.keys.gateway.current,
      { method: 'POST', url, body: SUSPEND, headers },
      Date.now(),
    );
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed },
      body: SUSPEND,
    });
    return {
      status: res.statusCode,
      json: (await res.body.json()) as {
        data?: unknown;
        errors?: { message: string; extensions: Record<string, unknown> }[];
      },
    };
  }

  it("refuses a suspension signed with the gateway's key under a forged administrator and no token", async () => {
    const forged = {
      'x-crossgate-caller': Buffer.from(
        JSON.stringify({ subject: 'mallory', role: 'registry_admin', municipality: null, purpose: null }),
      ).toString('base64url'),
    };
    const { json } = await toTheRegistry(forged);
    expect(json.data).toBeNull();
    expect(json.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(json.errors?.[0]?.message).toContain('the caller is anonymous');
  });

  it('refuses an administrator token the identity provider did not sign', async () => {
    const forged = testToken({ subject: 'mallory', role: 'registry_admin' }, testIdentityProvider());
    const { status, json } = await toTheRegistry({ authorization: `Bearer ${forged}` });
    expect(status).toBe(401);
    expect(json.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    // The agreement is untouched: still in force.
    const answer = await r.query('{ agreement(id: "AG-001") { id inForce } }');
    expect(answer.data.agreement).toEqual({ id: 'AG-001', inForce: true });
  });
});

describe('the gateway takes an answer only under its owner’s signature', () => {
  const ALL = '{ credentials(first: 60) { edges { node { id status } } } }';
  const ownersOf = (answer: { data?: { credentials?: { edges: { node: { id: string } }[] } } }) =>
    [...new Set((answer.data?.credentials?.edges ?? []).map((e) => e.node.id.split(':')[0]))].sort();

  async function expectRefusedAsSB() {
    const answer = await r.query(ALL, undefined, await bearer(r, officerOf('NB')));
    expect(answer.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'MUNICIPALITY_SIGNATURE_INVALID', municipality: 'SB' }),
      }),
    ]);
    // The other municipalities' data still comes back; nothing of SB's, altered or not.
    expect(ownersOf(answer)).toEqual(['NB', 'RV']);
    expect(JSON.stringify(answer)).not.toContain('(altered)');
    return answer;
  }

  it('serves every municipality while the way is clean', async () => {
    const answer = await r.query(ALL, undefined, await bearer(r, officerOf('NB')));
    expect(answer.errors).toBeUndefined();
    expect(ownersOf(answer)).toEqual(['NB', 'RV', 'SB']);
  });

  it("refuses SB's answer altered on the way (data and digest rewritten), as SB's error", async () => {
    proxy.mode = 'tamper';
    const answer = await expectRefusedAsSB();
    expect(answer.errors?.[0]?.message).toContain('forged');
  });

  it("refuses SB's answer stripped of its signature, as SB's error", async () => {
    proxy.mode = 'unsigned';
    const answer = await expectRefusedAsSB();
    expect(answer.errors?.[0]?.message).toContain('unsigned');
  });

  it("refuses SB's answer signed by another member's key (NB's), as SB's error", async () => {
    proxy.mode = 'resign';
    proxy.foreignKey = r.shards.find((s) => s.spec.codes.includes('NB'))?.keyring.current;
    expect(proxy.foreignKey).toBeDefined();
    const answer = await expectRefusedAsSB();
    expect(answer.errors?.[0]?.message).toContain('wrong-signer');
  });
});

describe('the gateway admits a member only on an SDL its owner signed', () => {
  /** Refreshes the gateway's member list until RV's admission says what `expected` tests, within a generous bound. */
  async function untilRV(expected: (refusal: string | undefined) => boolean): Promise<string | undefined> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      await r.gateway.membership.refresh();
      const state = r.gateway.membership.current;
      const refusal = state.phase === 'ready' ? state.refused.get('RV') : 'not loaded';
      if (expected(refusal)) return refusal;
      if (Date.now() > deadline) throw new Error(`RV's admission stayed ${JSON.stringify(refusal)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it("refuses RV moved behind a link that rewrites its SDL, and admits it once the answer is RV's own", async () => {
    const rv = r.shards.find((s) => s.spec.codes.includes('RV'));
    const rewriting = await startFaultyProxy(rv?.server.url ?? '');
    try {
      rewriting.mode = 'tamper';
      await setMemberEndpoints(r.registryHandle, [
        {
          code: 'RV',
          credentialsUrl: rewriting.url('/credentials'),
          workforceUrl: rewriting.url('/workforce'),
        },
      ]);
      // RV learns its new address with its next directory read; until then it refuses the call itself.
      const refusal = await untilRV((reason) => reason?.includes('not signed by its own key') ?? false);
      expect(refusal).toContain('forged');
      const answer = await r.query(
        '{ credentials(first: 60) { edges { node { id } } } }',
        undefined,
        await bearer(r, officerOf('NB')),
      );
      expect(JSON.stringify(answer)).not.toContain('"RV:');
      rewriting.mode = 'pass';
      expect(await untilRV((reason) => reason === undefined)).toBeUndefined();
    } finally {
      await repointMembers(r, [
        {
          code: 'RV',
          credentialsUrl: rv?.server.credentialsUrl ?? '',
          workforceUrl: rv?.server.workforceUrl ?? '',
        },
      ]);
      await rewriting.close();
    }
  }, 300_000);
});
