// Reading where a field or entity goes: owners from ids in arguments, and why a code has no shard.
import { CODES, crossgateError, type ErrorCode } from '../../../schema/errors';
import { ownerOf, parseGlobalId } from '../../../schema/ids';
import type { ShardMap } from './shards';

/** Why a code has no shard: not a member, suspended, or refused admission. */
export function unrouted(map: ShardMap, code: string): { code: ErrorCode; message: string } {
  switch (map.excluded(code)) {
    case 'suspended':
      return { code: CODES.MUNICIPALITY_SUSPENDED, message: `Municipality ${code} is suspended` };
    case 'refused':
      return {
        code: CODES.MUNICIPALITY_UNAVAILABLE,
        message: `Municipality ${code} is not admitted to the region`,
      };
    case undefined:
      return { code: CODES.UNKNOWN_MUNICIPALITY, message: `No member municipality '${code.slice(0, 8)}'` };
  }
}

/** The owner of the global id in argument `arg`; INVALID_ID otherwise. */
export function routedOwner(value: unknown, arg: string): string {
  if (typeof value !== 'string' || !parseGlobalId(value)) {
    throw crossgateError(
      CODES.INVALID_ID,
      `Argument ${arg} must be an id of the form <MUNICIPALITY>:<local id>; received ${JSON.stringify(value)?.slice(0, 80)}`,
      { argumentName: arg },
    );
  }
  return ownerOf(value) as string;
}
