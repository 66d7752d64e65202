// Who is calling: the identity taken from the identity provider's token, by the gateway and by each owner.
import { z } from 'zod';
import { MunicipalityCode } from './ids';

export const ROLES = ['anonymous', 'employer', 'officer', 'analyst', 'registry_admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const CallerSchema = z.object({
  /** Stable subject of the caller (token `sub`); "anonymous" when none. */
  subject: z.string().min(1).max(200),
  role: z.enum(ROLES),
  /** Home municipality of an officer; null for regional roles. */
  municipality: MunicipalityCode.nullable(),
  /** Stated purpose of the request, required for cross-border lookups of people. */
  purpose: z.string().max(500).nullable().default(null),
});

export type Caller = z.infer<typeof CallerSchema>;

export const ANONYMOUS: Caller = {
  subject: 'anonymous',
  role: 'anonymous',
  municipality: null,
  purpose: null,
};

/**
 * The caller's stated purpose, sent by the end user and passed on by the gateway under its signature.
 * It is a statement, not an identity: who is calling comes from the bearer token alone.
 */
export const PURPOSE_HEADER = 'x-crossgate-purpose';
