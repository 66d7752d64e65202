// The partner cache: one question signed with the municipality's own key per lifetime, the parties
// of agreements in force only, and no answer kept when the registry gives none.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyDirectory } from '../../common/key-directory';
import { silentLogger } from '../../common/logger';
import { MemberKeyring } from '../../common/member-keys';
import { createCallVerifier } from '../../common/message-signatures';
import { MemoryNonceCache } from '../../common/nonces';
import { agreementsInForce, type PartnerView } from '../../subgraphs/municipal/policy/partners';

const KEYS = MemberKeyring.open(mkdtempSync(join(tmpdir(), 'crossgate-partners-')), 'NB');
const URL_ = 'http://registry.test/graphql';

interface Asked {
  body: string;
  headers: Record<string, string>;
}

function registry(answers: (() => Response)[]) {
  const asked: Asked[] = [];
  const fetchFn = (async (_url: string, init: RequestInit) => {
    asked.push({ body: String(init.body), headers: init.headers as Record<string, string> });
    const next = answers.shift();
    if (!next) throw new Error('connect ECONNREFUSED');
    return next();
  }) as typeof fetch;
  return { asked, fetchFn };
}

const json =
  (value: unknown, status = 200) =>
  () =>
    new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

const agreements = (list: { id: string; parties: string[]; inForce: boolean }[]) =>
  json({
    data: {
      agreements: list.map((a) => ({
        id: a.id,
        inForce: a.inForce,
        parties: a.parties.map((code) => ({ municipality: { code } })),
      })),
    },
  });

async function viewOf(source: { view(): PartnerView | Promise<PartnerView> }) {
  return await source.view();
}

describe('partners from the agreements in force', () => {
  let clock = Date.parse('2026-11-01T08:00:00Z');
  const source = (fetchFn: typeof fetch) =>
    agreementsInForce({
      municipality: 'NB',
      registryUrl: () => URL_,
      keyring: KEYS,
      ttlMs: 30_000,
      timeoutMs: 1000,
      now: () => clock,
      fetch: fetchFn,
      log: silentLogger,
    });

  it('takes the other parties of agreements in force, and asks again only after the lifetime', async () => {
    const { asked, fetchFn } = registry([
      agreements([
        { id: 'AG-1', parties: ['NB', 'SB'], inForce: true },
        { id: 'AG-2', parties: ['NB', 'RV'], inForce: false },
      ]),
      agreements([]),
    ]);
    const partners = source(fetchFn);
    const first = await viewOf(partners);
    expect(first).toMatchObject({ known: true, partners: new Set(['SB']) });
    clock += 29_000;
    expect(await viewOf(partners)).toBe(first);
    expect(asked).toHaveLength(1);
    clock += 2_000;
    expect(await viewOf(partners)).toMatchObject({ known: true, partners: new Set() });
    expect(asked).toHaveLength(2);
    expect(JSON.parse(asked[0]?.body ?? '{}').variables).toEqual({ municipality: 'NB', at: '2026-11-01' });
  });

  it('signs its question so that the registry can verify it', async () => {
    const { asked, fetchFn } = registry([agreements([])]);
    await viewOf(source(fetchFn));
    const sent = asked[0];
    if (!sent) throw new Error('nothing was asked');
    const directory = new KeyDirectory({
      ttlMs: 30_000,
      now: () => clock,
      load: async () => ({
        issuedAt: new Date(clock).toISOString(),
        keys: [
          {
            member: 'NB',
            role: 'municipality',
            jwk: KEYS.current.publicJwk as Record<string, unknown>,
            notBefore: new Date(0).toISOString(),
            notAfter: null,
          },
        ],
        addresses: [],
      }),
    });
    const verify = createCallVerifier({
      directory,
      roles: ['municipality'],
      ownAuthorities: () => ['registry.test'],
      windowMs: 60_000,
      nonces: new MemoryNonceCache(() => clock),
      now: () => clock,
    });
    const lower = Object.fromEntries(Object.entries(sent.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const outcome = await verify({
      method: 'POST',
      path: '/graphql',
      body: sent.body,
      header: (name) => (name === 'host' ? 'registry.test' : lower[name]),
    });
    expect(outcome).toMatchObject({ ok: true, signer: { role: 'municipality', members: ['NB'] } });
    // The same question sent to another address is refused: the signature names its receiver.
    const elsewhere = await createCallVerifier({
      directory,
      roles: ['municipality'],
      ownAuthorities: () => ['other.test'],
      windowMs: 60_000,
      nonces: new MemoryNonceCache(() => clock),
      now: () => clock,
    })({
      method: 'POST',
      path: '/graphql',
      body: sent.body,
      header: (name) => (name === 'host' ? 'other.test' : lower[name]),
    });
    expect(elsewhere).toEqual({ ok: false, reason: 'forged' });
  });

  it('reports partners unknown, and keeps nothing, when the registry errs or cannot be reached', async () => {
    const { asked, fetchFn } = registry([
      json({ errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }, 500),
    ]);
    const partners = source(fetchFn);
    expect(await viewOf(partners)).toEqual({
      known: false,
      reason: 'the registry answered HTTP 500 without agreements',
    });
    expect(await viewOf(partners)).toEqual({ known: false, reason: 'the registry could not be reached' });
    expect(asked).toHaveLength(2);
  });
});
