// Per-call CPU cost of signed answers: the owner signing its answer, the gateway checking it, beside the
// request signature and the owner's token check (cached and not), for answer bodies of typical sizes.
// Run: npx tsx bench/signatures/answer-cost.ts [iterations]
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthenticator } from '../../common/caller-tokens';
import type { KeyLookup, SignerKey } from '../../common/key-directory';
import { MemberKeyring } from '../../common/member-keys';
import {
  contentDigest,
  createAnswerCheck,
  createCallVerifier,
  signAnswer,
  signCall,
} from '../../common/message-signatures';
import { MemoryNonceCache } from '../../common/nonces';
import { tokenKeys } from '../../common/token-keys';
import { DEMO_AUDIENCE, DEMO_ISSUER, generateTrustMaterial, mintToken } from '../../scripts/region/keys';

const ITERATIONS = Number(process.argv[2] ?? 2000);

const WARM_UP = Math.ceil(ITERATIONS / 10);

/** Microseconds of CPU per call of `run`, after a warm-up; `run` is given a distinct index every call. */
async function perCall(run: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < WARM_UP; i++) await run(i);
  const started = process.cpuUsage();
  for (let i = WARM_UP; i < WARM_UP + ITERATIONS; i++) await run(i);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / ITERATIONS;
}

/** An answer of about `bytes`: a page of credentials as a municipality returns it. */
function answerOf(bytes: number): string {
  const edge = { node: { id: 'NB:C-000001', status: 'ACTIVE', validUntil: '2030-01-01' } };
  const edges = Array.from(
    { length: Math.max(1, Math.round(bytes / JSON.stringify(edge).length)) },
    () => edge,
  );
  return JSON.stringify({ data: { credentials: { edges } } });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'crossgate-answer-cost-'));
  try {
    const gateway = MemberKeyring.open(join(dir, 'gateway'), 'gateway');
    const nb = MemberKeyring.open(join(dir, 'nb'), 'NB');
    const signer = (key: typeof nb, role: SignerKey['role'], members: string[]): SignerKey => ({
      kid: key.current.kid,
      role,
      members,
      publicKey: createPublicKey(key.current.privateKey),
      notBefore: 0,
      notAfter: null,
    });
    const keys = new Map([
      [gateway.current.kid, signer(gateway, 'gateway', ['gateway'])],
      [nb.current.kid, signer(nb, 'municipality', ['NB'])],
    ]);
    const directory: KeyLookup = {
      signerKey: async (kid) => keys.get(kid) ?? null,
      authoritiesOf: async () => ['nb.test'],
      eventEndpointOf: async () => null,
    };
    const idp = await generateTrustMaterial();
    const token = await mintToken(idp.privateJwk, {
      subject: 'officer-nb',
      role: 'officer',
      municipality: 'NB',
    });
    const query = JSON.stringify({ query: '{ credentials(first: 100) { edges { node { id status } } } }' });
    const url = 'http://nb.test/credentials';
    const sent = signCall(
      gateway.current,
      { method: 'POST', url, body: query, headers: { authorization: `Bearer ${token}` } },
      Date.now(),
    );
    const requestSignature = sent.Signature as string;
    const check = createAnswerCheck({ directory, windowMs: 60_000 });
    const rows: [string, number][] = [];
    rows.push([
      'request: gateway signs (token covered)',
      await perCall(() =>
        signCall(
          gateway.current,
          { method: 'POST', url, body: query, headers: { authorization: `Bearer ${token}` } },
          Date.now(),
        ),
      ),
    ]);
    const verifier = createCallVerifier({
      directory,
      roles: ['gateway'],
      ownAuthorities: () => ['nb.test'],
      windowMs: 60_000,
      nonces: new MemoryNonceCache(),
    });
    // Signed beforehand: each check spends the call's nonce, and only the check is measured.
    const calls = Array.from({ length: WARM_UP + ITERATIONS }, () => {
      const headers = signCall(
        gateway.current,
        { method: 'POST', url, body: query, headers: { authorization: `Bearer ${token}` } },
        Date.now(),
      );
      const lower: Record<string, string> = { host: 'nb.test' };
      for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
      return lower;
    });
    rows.push([
      'request: owner checks the signature',
      await perCall(async (i) => {
        const headers = calls[i] ?? {};
        const outcome = await verifier({
          method: 'POST',
          path: '/credentials',
          body: query,
          header: (n) => headers[n],
        });
        if (!outcome.ok) throw new Error(`the call was refused: ${outcome.reason}`);
      }),
    ]);
    const uncached = tokenKeys({ kind: 'jwks', jwks: idp.jwks as { keys: Record<string, unknown>[] } });
    const request = { headers: { authorization: `Bearer ${token}` } } as unknown as IncomingMessage;
    rows.push([
      'token: owner verifies it (first call)',
      await perCall(() =>
        createAuthenticator({ keys: uncached, issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE })(request),
      ),
    ]);
    const cached = createAuthenticator({ keys: uncached, issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE });
    rows.push(['token: owner verifies it (remembered)', await perCall(() => cached(request))]);
    for (const bytes of [1_000, 30_000, 300_000]) {
      const body = answerOf(bytes);
      const size = `${Math.round(body.length / 1000)} kB`;
      const signed = signAnswer(nb.current, { status: 200, body }, requestSignature, Date.now());
      const lower = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]));
      const answer = { status: 200, body, header: (n: string) => lower[n] };
      if ((await check(answer, requestSignature, ['NB'])) !== null)
        throw new Error('the answer did not verify');
      rows.push([
        `answer ${size}: owner signs`,
        await perCall(() => signAnswer(nb.current, { status: 200, body }, requestSignature, Date.now())),
      ]);
      rows.push([
        `answer ${size}: gateway checks`,
        await perCall(() => check(answer, requestSignature, ['NB'])),
      ]);
      rows.push([`answer ${size}: of which the digest`, await perCall(() => contentDigest(body))]);
    }
    console.log(`${ITERATIONS} calls each, CPU µs per call (user + system), Node ${process.version}`);
    for (const [name, us] of rows) console.log(`${name.padEnd(42)} ${us.toFixed(1).padStart(8)} µs`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
