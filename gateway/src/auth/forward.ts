// What the gateway sends a member besides the query: request id, the end user's own token and stated
// purpose (never an identity of the gateway's making), and its own RFC 9421 signature over them.
import type { MemberKeyring } from '../../../common/member-keys';
import { signCall } from '../../../common/message-signatures';
import { type Caller, PURPOSE_HEADER } from '../../../schema/caller';

export interface ForwardedContext {
  requestId?: string;
  caller?: Caller;
  /** The caller's bearer token as the gateway admitted it; absent for anonymous callers. */
  token?: string | null;
}

export type ForwardHeaders = (url: string, body: string, context: unknown) => Record<string, string>;

/** Signs every call with the gateway's current key: a rotation takes effect on the next call. */
export function signedForwarding(keyring: MemberKeyring, now: () => number = Date.now): ForwardHeaders {
  return (url, body, context) => {
    const ctx = context as ForwardedContext | undefined;
    const purpose = ctx?.caller?.purpose;
    return signCall(
      keyring.current,
      {
        method: 'POST',
        url,
        body,
        headers: {
          'x-request-id': ctx?.requestId ?? '',
          ...(ctx?.token ? { authorization: `Bearer ${ctx.token}` } : {}),
          ...(purpose ? { [PURPOSE_HEADER]: purpose } : {}),
        },
      },
      now(),
    );
  };
}

/** The signature a call was sent with (the answer must be bound to it), whatever the header's case. */
export function signatureOf(headers: Record<string, string>): string | undefined {
  return headers.Signature ?? headers.signature;
}
