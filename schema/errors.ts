// Every error code Crossgate returns in `extensions.code`, with what it means.
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
  REGISTRY_UNAVAILABLE: 'The registry could not be reached; registry fields are missing from the answer.',
  REGISTRY_TIMEOUT: 'The registry did not answer in time.',
  NOT_FOUND: 'The record does not exist in the municipality that owns its id.',
  INVALID_RECORD:
    "A record in a municipality's database cannot be mapped to the contract (bad date, unknown code, dangling reference).",
  INTERNAL_SERVER_ERROR: 'An unexpected failure; details are in the server log, never in the response.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function crossgateError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}
