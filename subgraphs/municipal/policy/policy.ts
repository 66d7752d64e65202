// A municipality's release policy: which roles of which municipalities may see which fields.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type Caller, ROLES } from '../../../schema/caller';
import { MUNICIPALITY_CODE } from '../../../schema/ids';

const Code = z.string().regex(MUNICIPALITY_CODE, 'municipality codes are 2 to 8 upper-case letters');

const GrantSchema = z.object({
  roles: z.array(z.enum(ROLES)).min(1),
  /** Whose callers: this municipality's own, its partners' (and its own), or anyone's. */
  from: z.enum(['home', 'partners', 'any']).default('any'),
  /** When the caller must state a purpose: never, only when from another municipality, always. */
  purpose: z.enum(['never', 'cross-border', 'always']).default('never'),
});

export const PolicyFileSchema = z.object({
  municipality: Code,
  /** Municipalities with a reciprocity agreement in force with this one. */
  partners: z.array(Code).default([]),
  /** Grants per field coordinate ("Holder.displayName", "Holder.*", "Query.auditTrail"). */
  fields: z.record(
    z.string().regex(/^[A-Z][A-Za-z0-9_]*\.([A-Za-z_][A-Za-z0-9_]*|\*)$/),
    z.array(GrantSchema),
  ),
  /** Grants for every field the file does not list. */
  default: z.array(GrantSchema),
});

export type PolicyFile = z.infer<typeof PolicyFileSchema>;
type Grant = z.infer<typeof GrantSchema>;

export type Decision =
  | { allowed: true }
  | { allowed: false; code: 'FORBIDDEN' | 'PURPOSE_REQUIRED'; reason: string };

const ALLOWED: Decision = { allowed: true };

export function describeCaller(caller: Caller): string {
  if (caller.role === 'anonymous') return 'an anonymous caller';
  return caller.municipality ? `${caller.role} of ${caller.municipality}` : `a regional ${caller.role}`;
}

export class ReleasePolicy {
  readonly municipality: string;

  /** @param partners the current partners; defaults to the file's list. */
  constructor(
    private readonly file: PolicyFile,
    private readonly partners: () => readonly string[] = () => file.partners,
  ) {
    this.municipality = file.municipality;
  }

  grantsFor(coordinate: string): readonly Grant[] {
    const type = coordinate.slice(0, coordinate.indexOf('.'));
    return this.file.fields[coordinate] ?? this.file.fields[`${type}.*`] ?? this.file.default;
  }

  decide(caller: Caller, coordinate: string): Decision {
    const grants = this.grantsFor(coordinate);
    let purposeMissing = false;
    for (const grant of grants) {
      if (!grant.roles.includes(caller.role) || !this.fromMatches(grant, caller)) continue;
      const crossBorder = caller.municipality !== this.municipality;
      const needsPurpose = grant.purpose === 'always' || (grant.purpose === 'cross-border' && crossBorder);
      if (needsPurpose && !caller.purpose) {
        purposeMissing = true;
        continue;
      }
      return ALLOWED;
    }
    return purposeMissing
      ? {
          allowed: false,
          code: 'PURPOSE_REQUIRED',
          reason: `Municipality ${this.municipality} releases ${coordinate} to ${describeCaller(caller)} only with a stated purpose (header x-crossgate-purpose)`,
        }
      : {
          allowed: false,
          code: 'FORBIDDEN',
          reason: `Municipality ${this.municipality} does not release ${coordinate} to ${describeCaller(caller)}`,
        };
  }

  private fromMatches(grant: Grant, caller: Caller): boolean {
    if (grant.from === 'any') return true;
    if (caller.municipality === null) return false;
    if (caller.municipality === this.municipality) return true;
    return grant.from === 'partners' && this.partners().includes(caller.municipality);
  }
}

export function readPolicyFile(path: string): PolicyFile {
  const parsed = PolicyFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid release policy ${path}:\n${problems}`);
  }
  return parsed.data;
}

/** A policy that releases every field to every caller (still audited); for tests of other features. */
export function releaseEverything(municipality: string): PolicyFile {
  return {
    municipality,
    partners: [],
    fields: {},
    default: [{ roles: [...ROLES], from: 'any', purpose: 'never' }],
  };
}
