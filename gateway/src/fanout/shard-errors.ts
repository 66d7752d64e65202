// Errors as the fan-out reports them: a code, the municipality named, no URL or stack leaked.
import { GraphQLError } from 'graphql';
import { CODES, type ErrorCode } from '../../../schema/errors';
import type { GraphQLWireError } from '../datasources/http-client';
import type { Shard } from './shards';

type Json = Record<string, unknown>;
export type Path = (string | number)[];

export function wire(
  code: ErrorCode,
  message: string,
  path: Path | undefined,
  extensions: Json = {},
): GraphQLWireError {
  return { message, ...(path ? { path } : {}), extensions: { ...extensions, code } };
}

/** A shard's error as the gateway may show it: no stack, no URL, the municipality named. */
export function clean(e: GraphQLWireError, shard?: Shard, path?: Path): GraphQLWireError {
  const { stacktrace: _stack, exception: _exception, ...extensions } = e.extensions ?? {};
  return {
    message: String(e.message ?? 'Error in a municipal subgraph').replace(/https?:\/\/\S+/g, '<subgraph>'),
    ...(path ? { path } : e.path ? { path: e.path } : {}),
    extensions: {
      ...extensions,
      code: typeof extensions.code === 'string' ? extensions.code : CODES.INTERNAL_SERVER_ERROR,
      ...(shard && !extensions.municipality ? { municipality: shard.id } : {}),
    },
  };
}

export function fromThrown(e: unknown, path: Path): GraphQLWireError {
  if (e instanceof GraphQLError) {
    return {
      message: e.message,
      path,
      extensions: { ...e.extensions, code: e.extensions.code ?? CODES.BAD_USER_INPUT },
    };
  }
  return {
    message: 'Internal error in the fan-out',
    path,
    extensions: { code: CODES.INTERNAL_SERVER_ERROR },
  };
}
