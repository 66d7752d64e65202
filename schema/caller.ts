// Who is calling: the identity the gateway establishes and every subgraph sees.
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

/** Header carrying the caller from the gateway to the subgraphs. */
export const CALLER_HEADER = 'x-crossgate-caller';

export function encodeCaller(caller: Caller): string {
  return Buffer.from(JSON.stringify(caller)).toString('base64url');
}

/** The caller named by the header, or anonymous when absent or malformed. */
export function decodeCaller(header: string | undefined): Caller {
  if (!header) return ANONYMOUS;
  try {
    const parsed = CallerSchema.safeParse(JSON.parse(Buffer.from(header, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : ANONYMOUS;
  } catch {
    return ANONYMOUS;
  }
}
