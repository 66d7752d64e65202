// Global ids (<MUNICIPALITY>:<local id>) and municipality codes, with the one check of each.
// The id's prefix names the owner; the fan-out routes by it.
import { z } from 'zod';
import { crossgateError } from './errors';

const CODE = '[A-Z]{2,8}';
const CODE_ONLY = new RegExp(`^${CODE}$`);
const GLOBAL_ID = new RegExp(`^(${CODE}):([A-Za-z0-9._-]{1,64})$`);

/** A municipality code ("SB"): the schema for configuration files, tokens and policies. */
export const MunicipalityCode = z
  .string()
  .regex(CODE_ONLY, 'municipality codes are 2 to 8 upper-case letters');

/** True when `value` is a municipality code: 2 to 8 upper-case letters. */
export function isMunicipalityCode(value: unknown): value is string {
  return typeof value === 'string' && CODE_ONLY.test(value);
}

/** A municipality code argument, or BAD_USER_INPUT naming the argument and what it received. */
export function municipalityCodeArgument(value: unknown, argumentName: string): string {
  if (isMunicipalityCode(value)) return value;
  throw crossgateError(
    'BAD_USER_INPUT',
    `${argumentName} must be a municipality code such as "SB"; received ${JSON.stringify(value)?.slice(0, 40)}`,
    { argumentName },
  );
}

export interface ParsedId {
  municipality: string;
  localId: string;
}

export function parseGlobalId(id: string): ParsedId | null {
  const m = GLOBAL_ID.exec(id);
  return m ? { municipality: m[1] as string, localId: m[2] as string } : null;
}

export function globalId(municipality: string, localId: string | number): string {
  return `${municipality}:${localId}`;
}

/** The owner of a global id, or null when the id is malformed. */
export function ownerOf(id: unknown): string | null {
  return typeof id === 'string' ? (parseGlobalId(id)?.municipality ?? null) : null;
}
