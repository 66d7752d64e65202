// The signatures made here are the ones http-message-signatures makes: the same Signature-Input and
// the same Signature bytes (Ed25519 is deterministic) for the same call or answer, nonce and time.
import { randomBytes, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpbis } from 'http-message-signatures';
import { parseDictionary, parseItem, serializeList } from 'structured-headers';
import { MemberKeyring } from '../../common/member-keys';
import { ANSWER_COMPONENTS, COVERED_WHEN_SENT, signAnswer, signCall } from '../../common/message-signatures';

const key = MemberKeyring.open(mkdtempSync(join(tmpdir(), 'crossgate-sigformat-')), 'NB').current;
const NOW = Date.UTC(2026, 10, 1, 12, 0, 0, 250);

/** The library's own signing of the same message: the reference. */
function librarySigned(
  fields: string[],
  message: { method?: string; url?: string; status?: number; headers: Record<string, string> },
  request: { method: string; url: string; headers: Record<string, string> } | undefined,
  paramValues: Record<string, unknown>,
  params: string[],
  headers: Record<string, string>,
): Record<string, string> {
  const base = httpbis.createSignatureBase({ fields }, message as never, request as never);
  const signingParams = httpbis.createSigningParameters({
    key: { id: key.kid, alg: 'ed25519', sign: async () => Buffer.alloc(0) },
    params,
    paramValues: paramValues as never,
  });
  const input = serializeList([[base.map(([item]) => parseItem(item)), signingParams as never]]);
  base.push(['"@signature-params"', [input]]);
  const signature = sign(null, Buffer.from(httpbis.formatSignatureBase(base)), key.privateKey);
  return httpbis.augmentHeaders({ ...headers }, signature, input) as Record<string, string>;
}

const nonceOf = (signed: Record<string, string>) => {
  const [, inner] = [...parseDictionary(signed['Signature-Input'] as string).entries()][0] ?? [];
  return String((inner as [unknown, Map<string, unknown>])[1].get('nonce'));
};

describe('signatures in the format of http-message-signatures', () => {
  const calls: { headers: Record<string, string> }[] = [
    { headers: { 'x-request-id': 'r-1' } },
    { headers: { 'x-request-id': 'r-2', authorization: 'Bearer abc.def.ghi' } },
    {
      headers: {
        'x-request-id': 'r-3',
        authorization: '  Bearer padded  ',
        [COVERED_WHEN_SENT[1]]: 'placement check for an employer',
      },
    },
  ];
  it.each(calls.map((c, i) => [i, c]))('signs call %i as the library does', (_i, { headers }) => {
    const call: { method: string; url: string; body: string; headers: Record<string, string> } = {
      method: 'post',
      url: 'http://127.0.0.1:9001/credentials?x=1',
      body: '{"query":"{ a }"}',
      headers,
    };
    const ours = signCall(key, call, NOW);
    const nonce = nonceOf(ours);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    const withDigest = { ...headers, 'content-digest': ours['content-digest'] as string };
    const fields = [
      '@method',
      '@target-uri',
      'content-digest',
      ...COVERED_WHEN_SENT.filter((h) => h in headers),
    ];
    const reference = librarySigned(
      fields,
      { method: call.method, url: call.url, headers: withDigest },
      undefined,
      { created: new Date(NOW), nonce },
      ['created', 'nonce', 'keyid', 'alg'],
      withDigest,
    );
    expect(ours).toEqual(reference);
  });

  it('signs an answer, bound to the call, as the library does', () => {
    const call = signCall(
      key,
      { method: 'POST', url: 'http://127.0.0.1:9001/credentials', body: '{}', headers: {} },
      NOW,
    );
    const answer = { status: 200, body: JSON.stringify({ data: { ok: randomBytes(8).toString('hex') } }) };
    const ours = signAnswer(key, answer, call.Signature as string, NOW);
    const headers = { 'content-digest': ours['content-digest'] as string };
    const reference = librarySigned(
      [...ANSWER_COMPONENTS],
      { status: answer.status, headers },
      { method: 'POST', url: 'http://answer.invalid/', headers: { signature: call.Signature as string } },
      { created: new Date(NOW), tag: 'crossgate-answer' },
      ['created', 'keyid', 'alg', 'tag'],
      headers,
    );
    expect(ours).toEqual(reference);
  });

  it('gives every call a nonce of its own', () => {
    const call = { method: 'POST', url: 'http://127.0.0.1:9001/credentials', body: '{}', headers: {} };
    const nonces = new Set(Array.from({ length: 1000 }, () => nonceOf(signCall(key, call, NOW))));
    expect(nonces.size).toBe(1000);
  });
});
