// A subgraph's unexpected failures stay inside it: logged with their cause, answered to the gateway
// as an internal error that says nothing about the server.
import type { GraphQLFormattedError } from 'graphql';
import { CODES } from '../schema/errors';
import type { Logger } from './logger';

/** Apollo's `formatError`: errors without a code of their own become `message` with INTERNAL_SERVER_ERROR. */
export function hidingInternalErrors(
  log: Logger,
  message: string,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const code = formatted.extensions?.code;
    if (code !== CODES.INTERNAL_SERVER_ERROR && code !== undefined) return formatted;
    log.error({ err: error }, 'resolver failed');
    return { message, path: formatted.path, extensions: { code: CODES.INTERNAL_SERVER_ERROR } };
  };
}
