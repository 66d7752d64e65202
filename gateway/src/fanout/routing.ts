// Reading where a field or entity goes: owners from ids, codes and scopes from arguments, and why a code has no shard.
import { crossgateError, type ErrorCode } from '../../../schema/errors';
import { MUNICIPALITY_CODE, ownerOf, parseGlobalId } from '../../../schema/ids';
import type { ShardMap } from './shards';

/** Why a code has no shard: not a member, suspended, or refused admission. */
export function unrouted(map: ShardMap, code: string): { code: ErrorCode; message: string } {
  switch (map.excluded(code)) {
    case 'suspended':
      return { code: 'MUNICIPALITY_SUSPENDED', message: `Municipality ${code} is suspended` };
    case 'refused':
      return {
        code: 'MUNICIPALITY_UNAVAILABLE',
        message: `Municipality ${code} is not admitted to the region`,
      };
    case undefined:
      return { code: 'UNKNOWN_MUNICIPALITY', message: `No member municipality '${code.slice(0, 8)}'` };
  }
}

/** The one municipality code in argument `arg`; BAD_USER_INPUT otherwise. */
export function routedCode(value: unknown, arg: string): string {
  const [code] = scope(value, arg) ?? [];
  if (code === undefined || Array.isArray(value)) {
    throw crossgateError('BAD_USER_INPUT', `Argument ${arg} must be one municipality code such as "SB"`, {
      argumentName: arg,
    });
  }
  return code;
}

/** The owner of the global id in argument `arg`; INVALID_ID otherwise. */
export function routedOwner(value: unknown, arg: string): string {
  if (typeof value !== 'string' || !parseGlobalId(value)) {
    throw crossgateError(
      'INVALID_ID',
      `Argument ${arg} must be an id of the form <MUNICIPALITY>:<local id>; received ${JSON.stringify(value)?.slice(0, 80)}`,
      { argumentName: arg },
    );
  }
  return ownerOf(value) as string;
}

/** The municipality codes of a scope argument; null (every shard) when it is absent. */
export function scope(value: unknown, arg: string): string[] | null {
  if (value === undefined || value === null) return null;
  const list = Array.isArray(value) ? value : [value];
  for (const c of list) {
    if (typeof c !== 'string' || !MUNICIPALITY_CODE.test(c)) {
      throw crossgateError(
        'BAD_USER_INPUT',
        `${arg} must hold municipality codes such as "SB"; received ${JSON.stringify(c)?.slice(0, 40)}`,
        { argumentName: arg },
      );
    }
  }
  return list as string[];
}
