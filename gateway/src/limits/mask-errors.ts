// Masks errors before they leave the gateway: only documented codes keep their message; anything
// else becomes a generic internal error (logged in full), so no SQL, stack or internal host leaks.
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../../../common/logger';
import { CODES, type ErrorCode, isErrorCode } from '../../../schema/errors';

const RENAMED: Record<string, ErrorCode> = {
  OPERATION_RESOLUTION_FAILURE: CODES.BAD_REQUEST,
  PERSISTED_QUERY_NOT_SUPPORTED: CODES.PERSISTED_QUERY_NOT_FOUND,
};

const INTERNAL_ADDRESS =
  /\b(?:https?|postgres(?:ql)?|crossgate):\/\/\S+|\b(?:127\.0\.0\.1|localhost)(?::\d+)?/gi;

export function maskErrors(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const raw = formatted.extensions?.code;
    const code = typeof raw === 'string' ? (RENAMED[raw] ?? raw) : undefined;
    if (!isErrorCode(code) || code === CODES.INTERNAL_SERVER_ERROR) {
      log.error({ err: error, code: raw }, 'masked an error');
      return {
        message: 'Internal error; the request id in the logs has the details',
        path: formatted.path,
        extensions: { code: CODES.INTERNAL_SERVER_ERROR },
      };
    }
    const { stacktrace: _s, exception: _e, ...extensions } = formatted.extensions ?? {};
    return {
      ...formatted,
      message: formatted.message.replace(INTERNAL_ADDRESS, '[internal address]'),
      extensions: { ...extensions, code },
    };
  };
}
