// The signatures made here are the ones http-message-signatures makes: the same Signature-Input and
// the same Signature bytes (Ed25519 is deterministic) for the same call or answer, nonce and time.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDictionary } from 'structured-headers';
import { MemberKeyring } from '../../common/member-keys';
import { ANSWER_COMPONENTS, COVERED_WHEN_SENT, signAnswer, signCall } from '../../common/message-signatures';
import { librarySigned } from '../support/library-signatures';

const key = MemberKeyring.open(mkdtempSync(join(tmpdir(), 'crossgate-sigformat-')), 'NB').current;
const NOW = Date.UTC(2026, 10, 1, 12, 0, 0, 250);

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
      key,
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
      key,
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
