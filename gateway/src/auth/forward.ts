// What the gateway sends a member besides the query: request id, caller, and its own RFC 9421 signature over them.
import type { MemberKeyring } from '../../../common/member-keys';
import { signCall } from '../../../common/message-signatures';
import { ANONYMOUS, CALLER_HEADER, type Caller, encodeCaller } from '../../../schema/caller';

export interface ForwardedContext {
  requestId?: string;
  caller?: Caller;
}

export type ForwardHeaders = (url: string, body: string, context: unknown) => Record<string, string>;

/** Signs every call with the gateway's current key: a rotation takes effect on the next call. */
export function signedForwarding(keyring: MemberKeyring, now: () => number = Date.now): ForwardHeaders {
  return (url, body, context) => {
    const ctx = context as ForwardedContext | undefined;
    return signCall(
      keyring.current,
      {
        method: 'POST',
        url,
        body,
        headers: {
          'x-request-id': ctx?.requestId ?? '',
          [CALLER_HEADER]: encodeCaller(ctx?.caller ?? ANONYMOUS),
        },
      },
      now(),
    );
  };
}
