// The signing http-message-signatures does itself, step by step: the reference the project's own
// signing (common/message-signatures.ts) is held to in tests/unit/signature-format.test.ts, and
// compared with in `npm run bench:per-request`.
import { sign } from 'node:crypto';
import { httpbis } from 'http-message-signatures';
import { parseItem, serializeList } from 'structured-headers';
import type { MemberKey } from '../../common/member-keys';

export interface LibraryMessage {
  method?: string;
  url?: string;
  status?: number;
  headers: Record<string, string>;
}

/** The Signature-Input and Signature fields (and `headers`) the library makes for these components and parameters. */
export function librarySigned(
  key: MemberKey,
  fields: string[],
  message: LibraryMessage,
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
