// Whether this server owns a global id: the check before every lookup by id.
import { crossgateError } from '../../../schema/errors';
import { parseGlobalId } from '../../../schema/ids';
import type { MunicipalContext } from '../context';

/** True when this server owns the id; a malformed id is the caller's error. */
export function ownedId(id: string, ctx: MunicipalContext): boolean {
  const parsed = parseGlobalId(id);
  if (!parsed) {
    throw crossgateError(
      'INVALID_ID',
      `Expected an id of the form <MUNICIPALITY>:<local id>; received ${JSON.stringify(id.slice(0, 80))}`,
    );
  }
  return ctx.store.municipalities.includes(parsed.municipality);
}
