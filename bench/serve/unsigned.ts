// The "signatures off" variant of a benchmark region (env SIGNATURES=off), for measuring what RFC 9421
// signing and checking cost: pass-through signers and verifiers injected by the bench's own serve
// scripts. Nothing of the project's entry points or configuration reaches this file.
import { generateKeyPairSync } from 'node:crypto';
import type { CallVerifier } from '../../common/message-signatures';
import type { ForwardedContext } from '../../gateway/src/auth/forward';
import type { GatewaySignatures } from '../../gateway/src/server';
import { PURPOSE_HEADER } from '../../schema/caller';

/** Whether the variables ask for the variant without signatures. */
export const unsignedFromEnv = (env: NodeJS.ProcessEnv): boolean => env.SIGNATURES === 'off';

/**
 * The gateway sends the same headers as when it signs (request id, the caller's token and purpose),
 * without a signature, and takes every answer as it comes.
 */
export function unsignedGateway(): GatewaySignatures {
  return {
    forward: (_url, _body, context) => {
      const ctx = context as ForwardedContext | undefined;
      const purpose = ctx?.caller?.purpose;
      return {
        'x-request-id': ctx?.requestId ?? '',
        ...(ctx?.token ? { authorization: `Bearer ${ctx.token}` } : {}),
        ...(purpose ? { [PURPOSE_HEADER]: purpose } : {}),
      };
    },
    checkAnswer: async (_shard, _sent, outcome) => outcome,
  };
}

/**
 * Every member takes every call as the gateway's, unread. An unsigned call carries no signature to
 * bind an answer to, so the municipalities send their answers unsigned as well.
 */
export function unsignedMembers(): CallVerifier {
  const { publicKey } = generateKeyPairSync('ed25519');
  const signer = {
    kid: 'bench-unsigned',
    role: 'gateway' as const,
    members: ['gateway'],
    publicKey,
    notBefore: 0,
    notAfter: null,
  };
  return async () => ({ ok: true, signer });
}
