// What the gateway sends a subgraph besides the query: request id, caller, and the signature over both.

import { signRequest } from '../../../common/signature';
import { ANONYMOUS, CALLER_HEADER, type Caller, encodeCaller } from '../../../schema/caller';

export interface ForwardedContext {
  requestId?: string;
  caller?: Caller;
}

export type ForwardHeaders = (url: string, body: string, context: unknown) => Record<string, string>;

export function signedForwarding(secret: string, now: () => number = Date.now): ForwardHeaders {
  const paths = new Map<string, string>();
  return (url, body, context) => {
    const ctx = context as ForwardedContext | undefined;
    const caller = encodeCaller(ctx?.caller ?? ANONYMOUS);
    let path = paths.get(url);
    if (path === undefined) {
      path = new URL(url).pathname;
      paths.set(url, path);
    }
    return {
      'x-request-id': ctx?.requestId ?? '',
      [CALLER_HEADER]: caller,
      ...signRequest(secret, { method: 'POST', path, body, caller }, now()),
    };
  };
}
