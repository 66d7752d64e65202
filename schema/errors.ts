// Every error code Crossgate returns in `extensions.code`, with what it means: the one registry.
// Code elsewhere names a code as CODES.X or as the typed first argument of crossgateError/errorBody;
// tests/unit/error-codes.test.ts fails on a literal code anywhere else, and docs/errors.md is
// generated from this table (npm run docs:errors).
import { GraphQLError } from 'graphql';

export const ERROR_CODES = {
  BAD_USER_INPUT: 'An argument is malformed or out of range; the message says what was expected.',
  INVALID_ID: 'A global id is not of the form <MUNICIPALITY>:<local id>.',
  UNKNOWN_MUNICIPALITY: 'An id prefix or municipality code names no member of the region.',
  MUNICIPALITY_UNAVAILABLE:
    "A municipality's subgraph could not be reached or answered garbage; other data is still returned.",
  MUNICIPALITY_TIMEOUT: "A municipality's subgraph did not answer within the per-shard timeout.",
  MUNICIPALITY_SUSPENDED:
    "The municipality's membership is suspended in the registry; its records are not served until it is reinstated.",
  MUNICIPALITY_CIRCUIT_OPEN: 'A municipality failed repeatedly and is skipped until it is probed again.',
  MUNICIPALITY_OVERLOADED:
    'A municipality already has as many requests in flight and waiting as its directory entry allows; its part is refused at once instead of queued. Retry later.',
  MUNICIPALITY_SIGNATURE_INVALID:
    "A municipality's answer was unsigned, altered on the way, or signed by a key that is not that municipality's own (or not for this request); the gateway refused it, and other municipalities' data is still returned.",
  REGISTRY_UNAVAILABLE: 'The registry could not be reached; registry fields are missing from the answer.',
  REGISTRY_TIMEOUT: 'The registry did not answer in time.',
  SUBGRAPH_UNAVAILABLE:
    'A subgraph of a plain federated gateway (not the regional fan-out) could not be reached or answered garbage.',
  SUBGRAPH_TIMEOUT: 'A subgraph of a plain federated gateway did not answer within its timeout.',
  NOT_FOUND: 'The record does not exist in the municipality that owns its id.',
  INVALID_RECORD:
    "A record in a municipality's database cannot be mapped to the contract (bad date, unknown code, dangling reference).",
  UNAUTHENTICATED:
    'The request carries no valid identity: the bearer token is missing where one is required, forged, expired, or for another audience.',
  FORBIDDEN:
    "The caller's role or municipality may not read the named field; the message names it. Denials by a municipality are in its audit log.",
  PURPOSE_REQUIRED:
    'A cross-border lookup of people needs a stated purpose (header x-crossgate-purpose); the municipality refused without one.',
  AGREEMENTS_UNAVAILABLE:
    'A municipality releases the field only to officers of municipalities with an agreement in force, and could not confirm them with the registry, so it refused (fail closed). The refusal is in its audit log.',
  SIGNATURE_INVALID:
    "A subgraph or the registry refused a request that was not signed by the gateway, was forged, stale or replayed; or a member's event endpoint refused an event not signed by the key of the member it comes from.",
  RATE_LIMITED: 'The caller sent more requests than its per-minute allowance; retry after the given delay.',
  PAYLOAD_TOO_LARGE: 'The request body exceeds the configured size limit.',
  PERSISTED_QUERY_NOT_FOUND:
    'The operation is not in the manifest of persisted operations that this caller may run.',
  GRAPHQL_PARSE_FAILED: 'The query text is not valid GraphQL, or exceeds the token limit.',
  GRAPHQL_VALIDATION_FAILED:
    'The operation does not fit the schema, or exceeds the depth, alias, directive or cost limits, or the introspection depth limit (`extensions.limit` is `introspectionDepth`).',
  BAD_REQUEST: 'The HTTP request is not a GraphQL request (wrong method, content type or body).',
  IDEMPOTENCY_CONFLICT:
    'The idempotency key was already used for a different operation or payload; use a new key for a new write.',
  INVALID_TRANSITION:
    "The write is not allowed in the record's current state (e.g. reinstating a revoked credential, ratifying a terminated agreement).",
  MEMBER_ALREADY_ADMITTED:
    'admitMember named a municipality code the registry already lists; suspend, readmit or rotate its keys instead.',
  UNSUPPORTED_KEY_TYPE:
    "A member's key is not an Ed25519 public JWK (kty OKP, crv Ed25519, a 32-byte x, no private part); the message says what was received.",
  KEY_ID_MISMATCH:
    "A key id does not name its key: it must be the member's code, \".\" and the first 16 characters of the key's RFC 7638 thumbprint, as npm run member-key makes it; or the key is already another member's.",
  CHECKPOINT_INVALID:
    "The registry refused to witness an audit checkpoint: not signed by the sending member's own key, for another member, or going back on a checkpoint it already witnessed.",
  CREDENTIAL_DOCUMENTS_UNAVAILABLE:
    'The municipality has no issuer URL configured (PUBLIC_GATEWAY_URL), so it cannot sign a credential as a verifiable credential.',
  ATTESTATION_UNAVAILABLE:
    "The registry would not countersign the checking member's statement (a key the directory does not list, or a statement about another check); the verification's other fields still answer.",
  ALERTS_UNAVAILABLE:
    'The municipal server runs without revocation alerts (no outbox or event endpoint configured), so it has no alerts to list.',
  INTERNAL_SERVER_ERROR: 'An unexpected failure; details are in the server log, never in the response.',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Every code by its name, for code that passes a code on: `CODES.FORBIDDEN`. */
export const CODES = Object.fromEntries(Object.keys(ERROR_CODES).map((c) => [c, c])) as {
  readonly [C in ErrorCode]: C;
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** An error as it travels in a GraphQL response body (HTTP layers that answer without GraphQL). */
export interface WireError {
  message: string;
  path?: readonly (string | number)[];
  extensions: { code: ErrorCode } & Record<string, unknown>;
}

export function errorBody(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): WireError {
  return { message, extensions: { ...extensions, code } };
}

export function crossgateError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}
