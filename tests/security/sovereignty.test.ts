// Each municipality decides what it releases, to whom, and logs every access on its own side;
// only the gateway, signing with its own key, may call its subgraph.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MemberKey, MemberKeyring } from '../../common/member-keys';
import { signCall } from '../../common/message-signatures';
import type { GraphQLAnswer, InProcessRegion } from '../support/in-process';
import {
  auditOf,
  bearer,
  changeAgreement,
  credentialOf,
  holderOf,
  officerOf,
  region,
  startSecureRegion,
} from './region';

let r: InProcessRegion;
beforeAll(async () => {
  r = await startSecureRegion();
  // Partners come from the agreements in force. Ending the three-party accord and completing
  // SB's ratification of AG-003 leaves NB–SB (AG-001) and SB–RV (AG-003): NB and RV are no partners.
  await changeAgreement(r, 'terminateAgreement', { id: 'AG-002', on: '2026-10-01' }, 'sovereignty-end-ag2');
  await changeAgreement(
    r,
    'ratifyAgreement',
    { id: 'AG-003', on: '2026-10-01', municipality: 'SB' },
    'sovereignty-ratify-ag3',
  );
}, 600_000);
afterAll(() => r?.close());

const HOLDER = `query($id: ID!) { credential(id: $id) { id holder { id displayName } } }`;

describe('release policy of the owning municipality', () => {
  it("lets an officer read their own municipality's holder names without a purpose", async () => {
    const c = credentialOf('NB');
    const res = await r.query(HOLDER, { id: `NB:${c.localId}` }, await bearer(r, officerOf('NB')));
    expect(res.errors).toBeUndefined();
    expect(res.data.credential.holder.id).toBe(`NB:${c.holderLocalId}`);
  });

  it("refuses a partner's officer holder names without a stated purpose, and logs the refusal", async () => {
    const c = credentialOf('SB', 1);
    const res = await r.query(HOLDER, { id: `SB:${c.localId}` }, await bearer(r, officerOf('NB')));
    const error = res.errors?.find((e) => e.extensions?.code === 'PURPOSE_REQUIRED');
    expect(error?.extensions?.municipality).toBe('SB');
    expect(error?.message).toContain('Holder.');
    const name = region.holders.find(
      (h) => h.municipality === 'SB' && h.localId === c.holderLocalId,
    )?.displayName;
    expect(name).toBeDefined();
    expect(JSON.stringify(res)).not.toContain(name);
    const denied = (await auditOf(r, 'SB')).filter(
      (e) => e.decision === 'denied' && e.recordIds.includes(`SB:${c.holderLocalId}`),
    );
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ subject: 'officer-nb', role: 'officer', home: 'NB', purpose: null });
    // Holder.id is refused first; being non-null, it takes the holder (and its name) with it.
    expect(denied[0]?.fields).toContain('Holder.id');
  });

  it("releases a partner's holder names when the officer states a purpose, and logs purpose and record", async () => {
    const c = credentialOf('SB', 2);
    const purpose = 'case 2026/114: recognition of a care assistant';
    const res = await r.query(HOLDER, { id: `SB:${c.localId}` }, await bearer(r, officerOf('NB'), purpose));
    expect(res.errors).toBeUndefined();
    expect(res.data.credential.holder.displayName.length).toBeGreaterThan(0);
    const allowed = (await auditOf(r, 'SB')).filter(
      (e) => e.decision === 'allowed' && e.recordIds.includes(`SB:${c.holderLocalId}`),
    );
    expect(allowed).toHaveLength(1);
    expect(allowed[0]).toMatchObject({ purpose, home: 'NB', subject: 'officer-nb' });
    expect(allowed[0]?.fields).toContain('Holder.displayName');
    expect(allowed[0]?.recordIds).toContain(`SB:${c.localId}`);
  });

  it('refuses holder names to an officer of a municipality without an agreement, even with a purpose', async () => {
    const c = credentialOf('RV', 0);
    const res = await r.query(
      HOLDER,
      { id: `RV:${c.localId}` },
      await bearer(r, officerOf('NB'), 'curiosity'),
    );
    const error = res.errors?.find((e) => e.extensions?.code === 'FORBIDDEN');
    expect(error?.extensions?.municipality).toBe('RV');
    expect(error?.message).toBe('Municipality RV does not release Holder.id to officer of NB');
    const denied = (await auditOf(r, 'RV')).filter((e) => e.decision === 'denied' && e.home === 'NB');
    expect(
      denied.some((e) => e.recordIds.includes(`RV:${c.holderLocalId}`) && e.purpose === 'curiosity'),
    ).toBe(true);
  });

  it('answers a cross-border lookup of a person only where the policy allows, and each owner logs it', async () => {
    const h = holderOf('SB', 3);
    const res = await r.query(
      `query($rh: ID!) { credentialsOfHolder(regionalHolderId: $rh) { id } }`,
      { rh: h.regionalHolderId },
      await bearer(r, officerOf('NB')),
    );
    const byOwner = Object.fromEntries(
      (res.errors ?? []).map((e) => [e.extensions?.municipality, e.extensions?.code]),
    );
    expect(byOwner).toEqual({ SB: 'PURPOSE_REQUIRED', RV: 'FORBIDDEN' });
    for (const code of ['SB', 'RV']) {
      const entries = await auditOf(r, code);
      expect(
        entries.some(
          (e) => e.decision === 'denied' && e.fields.includes('Query.credentialsOfHolder') && e.home === 'NB',
        ),
      ).toBe(true);
    }
  });
});

describe('the audit trail', () => {
  it("shows an officer their own municipality's log, newest first, chained", async () => {
    const res = await r.query(
      `{ auditTrail(municipality: "SB", first: 5) { edges { node { seq subject homeMunicipality decision fields hash } } } }`,
      undefined,
      await bearer(r, officerOf('SB')),
    );
    expect(res.errors).toBeUndefined();
    const entries = res.data.auditTrail.edges.map((e: { node: { seq: number; decision: string } }) => e.node);
    const seqs = entries.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => b - a));
    expect(entries.some((e: { decision: string }) => e.decision === 'DENIED')).toBe(true);
  });

  it("refuses an officer another municipality's log and lets an auditor read it", async () => {
    const q = `{ auditTrail(municipality: "SB", first: 3) { edges { node { seq } } } }`;
    const officer = await r.query(q, undefined, await bearer(r, officerOf('NB')));
    expect(officer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', municipality: 'SB' });
    const auditor = await r.query(q, undefined, await bearer(r, { subject: 'aud-1', role: 'auditor' }));
    expect(auditor.errors).toBeUndefined();
    expect(auditor.data.auditTrail.edges).toHaveLength(3);
  });

  it('pages through a log longer than 500 entries, to its first entry', async () => {
    const shard = r.shards.find((s) => s.spec.codes.includes('RV'));
    if (!shard) throw new Error('no shard serves RV');
    const filler = Array.from({ length: 520 }, (_, i) => ({
      at: new Date(Date.UTC(2026, 10, 1, 12, 0, i % 60)).toISOString(),
      municipality: 'RV',
      requestId: `filler-${i}`,
      subject: 'officer-rv',
      role: 'officer' as const,
      home: 'RV',
      purpose: null,
      operation: 'credentials: query Filler',
      fields: ['Query.credentials'],
      recordIds: [],
      decision: 'allowed' as const,
      reason: null,
    }));
    await shard.audit.append(filler);
    const logged = (await auditOf(r, 'RV')).map((e) => e.seq);
    expect(logged.length).toBeGreaterThan(500);
    const auditor = await bearer(r, { subject: 'aud-pages', role: 'auditor' });
    const seen: number[] = [];
    let after: string | null = null;
    let pages = 0;
    type Trail = {
      auditTrail: {
        edges: { node: { seq: number } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    for (;;) {
      const page: GraphQLAnswer<Trail> = await r.query<Trail>(
        `query($after: String) { auditTrail(municipality: "RV", first: 200, after: $after) {
          edges { cursor node { seq } } pageInfo { hasNextPage endCursor } } }`,
        { after },
        auditor,
      );
      expect(page.errors).toBeUndefined();
      pages++;
      const trail: Trail['auditTrail'] = (page.data as Trail).auditTrail;
      seen.push(...trail.edges.map((e) => e.node.seq));
      if (!trail.pageInfo.hasNextPage) break;
      after = trail.pageInfo.endCursor;
    }
    // Reading the log is itself logged (newer entries), so the walk covers at least every entry
    // that was there before it, newest first, each once.
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([...new Set(seen)].sort((a, b) => b - a));
    expect(seen.slice(-logged.length)).toEqual([...logged].sort((a, b) => b - a));
    const bad = await r.query(
      `{ auditTrail(municipality: "RV", after: "not-a-cursor") { edges { cursor } } }`,
      undefined,
      auditor,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('only the gateway may call a subgraph', () => {
  const shardUrl = () => {
    const shard = r.shards.find((s) => s.spec.codes.includes('SB'));
    if (!shard) throw new Error('no SB shard');
    return shard.server.credentialsUrl;
  };
  const body = JSON.stringify({
    query: '{ credentials(first: 1) { edges { node { id holder { displayName } } } } }',
  });
  /** A caller header of the kind a gateway once sent; owners now read callers from the user's token alone. */
  const forgedCaller = {
    'x-crossgate-caller': Buffer.from(
      JSON.stringify({ subject: 'mallory', role: 'officer', municipality: 'SB', purpose: null }),
    ).toString('base64url'),
  };
  const signed = (
    key: MemberKey = r.keys.gateway.current,
    at = Date.now(),
    headers: Record<string, string> = {},
  ) => signCall(key, { method: 'POST', url: shardUrl(), body, headers }, at);
  const send = (headers: Record<string, string>, payload = body) =>
    fetch(shardUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...forgedCaller, ...headers },
      body: payload,
    }).then(async (res) => ({
      status: res.status,
      json: (await res.json()) as {
        data?: unknown;
        errors?: { message: string; extensions: Record<string, unknown> }[];
      },
    }));

  it('refuses an unsigned request that claims to be an officer, and logs it by its source, not its claim', async () => {
    const { status, json } = await send({});
    expect(status).toBe(401);
    expect(json.data).toBeUndefined();
    expect(json.errors?.[0]?.extensions).toEqual({ code: 'SIGNATURE_INVALID', municipality: 'SB' });
    const shard = r.shards.find((s) => s.spec.codes.includes('SB'));
    await shard?.server.flushRefusals();
    const entries = await auditOf(r, 'SB');
    const refused = entries.filter((e) => e.operation.endsWith('refused before execution'));
    expect(
      refused.some((e) => e.subject === 'unverified:127.0.0.1' && /missing: 1\b/.test(e.reason ?? '')),
    ).toBe(true);
    // The caller it claimed is nowhere in the log: a sender does not choose what the owner records.
    expect(entries.some((e) => e.subject.includes('mallory'))).toBe(false);
  });

  it('refuses a call signed with a key the directory does not list', async () => {
    const stranger = MemberKeyring.open(mkdtempSync(join(tmpdir(), 'crossgate-stranger-')), 'gateway');
    const { status, json } = await send(signed(stranger.current));
    expect(status).toBe(401);
    expect(json.errors?.[0]?.message).toContain('unknown-key');
  });

  it("refuses a signed call whose body, digest, caller's token or purpose was changed in transit", async () => {
    const otherBody = JSON.stringify({ query: '{ credentials(first: 50) { totalCount } }' });
    expect((await send(signed(), otherBody)).json.errors?.[0]?.message).toContain('digest-mismatch');
    const withItsDigest = { ...signed(), 'content-digest': signed()['content-digest'] as string };
    const digestOfOther = signCall(
      r.keys.gateway.current,
      { method: 'POST', url: shardUrl(), body: otherBody, headers: {} },
      Date.now(),
    )['content-digest'] as string;
    expect(
      (await send({ ...withItsDigest, 'content-digest': digestOfOther }, otherBody)).json.errors?.[0]
        ?.message,
    ).toContain('forged');
    // The user's token and purpose are covered: swapped, added or removed, the signature fails.
    const employer = `Bearer ${await r.token({ subject: 'employer-9', role: 'employer' })}`;
    const auditor = `Bearer ${await r.token({ subject: 'auditor-9', role: 'auditor' })}`;
    const withToken = () => signed(undefined, Date.now(), { authorization: employer });
    expect((await send({ ...withToken(), authorization: auditor })).json.errors?.[0]?.message).toContain(
      'forged',
    );
    expect((await send({ ...signed(), authorization: auditor })).status).toBe(401);
    const withoutToken = withToken();
    delete withoutToken.authorization;
    expect((await send(withoutToken)).status).toBe(401);
    const withPurpose = signed(undefined, Date.now(), { 'x-crossgate-purpose': 'case 1' });
    expect(
      (await send({ ...withPurpose, 'x-crossgate-purpose': 'case 2' })).json.errors?.[0]?.message,
    ).toContain('forged');
  });

  it('accepts a genuinely signed call once and refuses its replay', async () => {
    const officer = `Bearer ${await r.token({ subject: 'officer-sb', role: 'officer', municipality: 'SB' })}`;
    const headers = signed(undefined, Date.now(), { authorization: officer });
    const first = await send(headers);
    expect(first.status).toBe(200);
    expect(first.json.errors).toBeUndefined();
    const replay = await send(headers);
    expect(replay.status).toBe(401);
    expect(replay.json.errors?.[0]?.message).toContain('replayed');
  });

  it('refuses a signed call created outside the time window', async () => {
    const old = Date.now() - 10 * 60_000;
    const headers = signed(undefined, old);
    const { json } = await send(headers);
    expect(json.errors?.[0]?.message).toContain('stale');
    expect(headers['Signature-Input']).toContain(`created=${Math.floor(old / 1000)}`);
  });
});
