// How the gateway talks to the region's members: its own key pair signs every call (passing the end
// user's token on), and a municipality's answer is taken only under that municipality's own key.
import { registryDirectory } from '../../../common/directory-client';
import type { KeyDirectory } from '../../../common/key-directory';
import type { Logger } from '../../../common/logger';
import { MemberKeyring } from '../../../common/member-keys';
import { createAnswerCheck } from '../../../common/message-signatures';
import type { GatewayConfig } from '../config';
import { type CheckAnswer, signedAnswersOnly } from './answer-signatures';
import { type ForwardHeaders, signedForwarding } from './forward';

export interface MemberCalls {
  /** The gateway's own keys (a rotation publishes the next one, then signs with it). */
  keyring: MemberKeyring;
  /** Signs a call and passes the end user's token on. */
  forward: ForwardHeaders;
  /** Turns an answer not signed by its owner into a failed call. */
  checkAnswer: CheckAnswer;
  /** The registry's signed directory of members' keys (answers and issued credentials are checked against it). */
  keyDirectory: KeyDirectory;
}

/** Opens the gateway's keys and the registry's key directory that members' answers are checked against. */
export function memberCalls(
  config: GatewayConfig,
  log: Logger,
  now: () => number,
  /** Replaces signing and the answer check: only a benchmark measuring what signatures cost passes one. */
  replaced?: Pick<MemberCalls, 'forward' | 'checkAnswer'>,
): MemberCalls {
  const keyring = MemberKeyring.open(config.keyDir, 'gateway');
  const forward = replaced?.forward ?? signedForwarding(keyring, now);
  // The registry's directory tells whose key signed each municipal answer; it is read with a signed call.
  const keyDirectory = registryDirectory({
    registryUrl: () => config.registryUrl,
    keyring,
    registryKeys: config.registryKeys,
    ttlMs: config.directoryTtlMs,
    staleMs: config.directoryStaleMs,
    now,
  });
  const checkAnswer =
    replaced?.checkAnswer ??
    signedAnswersOnly(
      createAnswerCheck({ directory: keyDirectory, windowMs: config.signatureWindowMs, now }),
      (shard, reason) =>
        log.warn({ municipality: shard.id, reason }, 'refused an answer not signed by its owner'),
    );
  return { keyring, forward, checkAnswer, keyDirectory };
}
