// The partner cache: one signed question per lifetime, the parties of agreements in force only,
// and no answer kept when the registry gives none.

import { silentLogger } from '../../common/logger';
import { createRequestVerifier, MemoryNonceCache } from '../../common/signature';
import { CALLER_HEADER } from '../../schema/caller';
import { agreementsInForce, type PartnerView } from '../../subgraphs/municipal/policy/partners';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
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
      secret: SECRET,
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
    const verify = createRequestVerifier({
      secrets: [SECRET],
      windowMs: 60_000,
      nonces: new MemoryNonceCache(() => clock),
      now: () => clock,
    });
    const caller = sent.headers[CALLER_HEADER] ?? '';
    const outcome = await verify(
      { method: 'POST', path: '/graphql', body: sent.body, caller },
      (name) => sent.headers[name],
    );
    expect(outcome).toEqual({ ok: true });
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
