// Per-request work the gateway does once per operation, or without the library's per-call parsing,
// timed against doing it every request, in one process and alternating rounds:
// - the field checks (@authenticated, @requiresScopes): the walk of the operation with TypeInfo
//   against the guards kept per parsed document;
// - the document sent to a municipality: printed against kept per operation and fields;
// - signing a call and an answer: http-message-signatures step by step against common/message-signatures.
// Run: npm run bench:per-request [-- iterations]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { type FieldNode, type OperationDefinitionNode, parse } from 'graphql';
import { MemberKeyring } from '../../common/member-keys';
import { ANSWER_COMPONENTS, signAnswer, signCall } from '../../common/message-signatures';
import { deniedFields, guardsOf, requirementsFromSupergraph } from '../../gateway/src/auth/authorize';
import { withoutEnforcedDirectives } from '../../gateway/src/auth/supergraph';
import { documentFor, printDocument } from '../../gateway/src/fanout/selections';
import { readSupergraph } from '../../schema/contract';
import { librarySigned } from '../../tests/support/library-signatures';
import { HUNDRED_VIA_GATEWAY, verificationQuery } from '../domain/queries';

const ITERATIONS = Number(process.argv[2] ?? 5000);
const ROUNDS = 5;

/** Microseconds of CPU per call of `run`, after a warm-up of a tenth as many calls. */
function perCall(run: () => unknown): number {
  for (let i = 0; i < ITERATIONS / 10; i++) run();
  const started = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / ITERATIONS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function main() {
  const sdl = readSupergraph();
  const schema = Supergraph.build(withoutEnforcedDirectives(sdl)).apiSchema().toGraphQLJSSchema();
  const requirements = requirementsFromSupergraph(sdl);
  const employer = { subject: 'bench', role: 'employer' as const, municipality: null, purpose: null };
  const analyst = { ...employer, role: 'analyst' as const };
  const verification = parse(verificationQuery('NB:C-000001', 'CODE-1', 'SB'));
  const hundred = parse(HUNDRED_VIA_GATEWAY);
  const operation = verification.definitions[0] as OperationDefinitionNode;
  const rootField = operation.selectionSet.selections[0] as FieldNode;
  const keyDir = mkdtempSync(join(tmpdir(), 'crossgate-bench-keys-'));
  const key = MemberKeyring.open(keyDir, 'gateway').current;
  const body = JSON.stringify({
    query: '{ credential(id: "NB:C-000001") { id status validFrom } }',
    variables: {},
  });
  const headers = {
    'x-request-id': 'bench',
    authorization: `Bearer ${randomBytes(300).toString('base64url')}`,
  };
  const url = 'http://127.0.0.1:9001/credentials';
  const signedCall = signCall(key, { method: 'POST', url, body, headers }, Date.now());
  const answerBody = JSON.stringify({ data: { credential: { id: 'NB:C-000001', status: 'ACTIVE' } } });

  const pairs: { what: string; before: () => unknown; after: () => unknown }[] = [
    {
      what: 'field checks, verification (employer)',
      before: () => guardsOf(schema, verification, undefined, requirements),
      after: () => deniedFields(schema, verification, undefined, requirements, employer),
    },
    {
      what: 'field checks, 100 credentials (analyst)',
      before: () => guardsOf(schema, hundred, undefined, requirements),
      after: () => deniedFields(schema, hundred, undefined, requirements, analyst),
    },
    {
      what: "document for the verification's municipality",
      before: () => printDocument(operation, [rootField], new Map()),
      after: () => documentFor(operation, [rootField], new Map()),
    },
    {
      what: 'signing a call (token and request id)',
      before: () => {
        const withDigest = { ...headers, 'content-digest': signedCall['content-digest'] as string };
        return librarySigned(
          key,
          ['@method', '@target-uri', 'content-digest', 'authorization'],
          { method: 'POST', url, headers: withDigest },
          undefined,
          { created: new Date(), nonce: randomBytes(16).toString('base64url') },
          ['created', 'nonce', 'keyid', 'alg'],
          withDigest,
        );
      },
      after: () => signCall(key, { method: 'POST', url, body, headers }, Date.now()),
    },
    {
      what: 'signing an answer',
      before: () => {
        const answerHeaders = { 'content-digest': 'sha-256=:bench:' };
        return librarySigned(
          key,
          [...ANSWER_COMPONENTS],
          { status: 200, headers: answerHeaders },
          {
            method: 'POST',
            url: 'http://answer.invalid/',
            headers: { signature: signedCall.Signature as string },
          },
          { created: new Date(), tag: 'crossgate-answer' },
          ['created', 'keyid', 'alg', 'tag'],
          answerHeaders,
        );
      },
      after: () =>
        signAnswer(key, { status: 200, body: answerBody }, signedCall.Signature as string, Date.now()),
    },
  ];
  const results = pairs.map(() => ({ before: [] as number[], after: [] as number[] }));
  for (let round = 0; round < ROUNDS; round++) {
    pairs.forEach((pair, i) => {
      const r = results[i] as { before: number[]; after: number[] };
      // alternate which side runs first
      if (round % 2 === 0) {
        r.before.push(perCall(pair.before));
        r.after.push(perCall(pair.after));
      } else {
        r.after.push(perCall(pair.after));
        r.before.push(perCall(pair.before));
      }
    });
  }
  rmSync(keyDir, { recursive: true, force: true });
  console.log(`${ROUNDS} rounds × ${ITERATIONS} calls each, CPU µs per call (median of rounds, range)\n`);
  console.log('| work per request | every request | once, or without per-call parsing | ratio |');
  console.log('|---|---:|---:|---:|');
  const range = (xs: number[]) =>
    `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
  pairs.forEach((pair, i) => {
    const r = results[i] as { before: number[]; after: number[] };
    console.log(
      `| ${pair.what} | ${range(r.before)} | ${range(r.after)} | ${(median(r.after) / median(r.before)).toFixed(3)} |`,
    );
  });
}

main();
