// The gateway takes a municipality's answer only under that municipality's own signature, bound to the call it sent.
import type { AnswerCheck } from '../../../common/message-signatures';
import type { CallOutcome } from '../datasources/http-client';
import type { Shard } from '../fanout/shards';
import { signatureOf } from './forward';

/** Who must have signed an answer: the shard's name and the municipalities it serves. */
export type AnswerSigner = Pick<Shard, 'id' | 'codes'>;

/** Passes a signed answer of its owner on, and turns any other into a failed call. */
export type CheckAnswer = (
  shard: AnswerSigner,
  sent: Record<string, string>,
  outcome: CallOutcome,
) => Promise<CallOutcome>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Turns an answer that is unsigned, altered, or signed by another member's key into a failed call. */
export function signedAnswersOnly(
  check: AnswerCheck,
  onRefused?: (shard: AnswerSigner, reason: string) => void,
): CheckAnswer {
  return async (shard, sent, outcome) => {
    if (!outcome.ok) return outcome;
    const requestSignature = signatureOf(sent);
    const answer = outcome.answer;
    const refusal =
      !requestSignature || !answer
        ? 'unsigned'
        : await check(
            { status: answer.status, body: answer.text, header: (name) => first(answer.headers[name]) },
            requestSignature,
            shard.codes,
          );
    if (refusal === null) return outcome;
    onRefused?.(shard, refusal);
    return { ok: false, reason: 'signature_invalid', detail: refusal };
  };
}
