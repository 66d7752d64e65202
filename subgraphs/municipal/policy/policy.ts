// A municipality's release policy: which roles of which municipalities may see which fields.

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type Caller, ROLES } from '../../../schema/caller';
import { CODES } from '../../../schema/errors';
import { MunicipalityCode } from '../../../schema/ids';
import { fixedPartners, type PartnerSource, type PartnerView } from './partners';

const GrantSchema = z.object({
  roles: z.array(z.enum(ROLES)).min(1),
  /** Whose callers: this municipality's own, its partners' (and its own), or anyone's. */
  from: z.enum(['home', 'partners', 'any']).default('any'),
  /** When the caller must state a purpose: never, only when from another municipality, always. */
  purpose: z.enum(['never', 'cross-border', 'always']).default('never'),
});

export const PolicyFileSchema = z.object({
  municipality: MunicipalityCode,
  /**
   * Whose officers count as partners: "agreements-in-force" (the members bound to this one by an
   * agreement in force, asked of the registry) or a fixed list of codes.
   */
  partners: z.union([z.literal('agreements-in-force'), z.array(MunicipalityCode)]).default([]),
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
  | {
      allowed: false;
      code: typeof CODES.FORBIDDEN | typeof CODES.PURPOSE_REQUIRED | typeof CODES.AGREEMENTS_UNAVAILABLE;
      reason: string;
    };

const ALLOWED: Decision = { allowed: true };

export function describeCaller(caller: Caller): string {
  if (caller.role === 'anonymous') return 'an anonymous caller';
  return caller.municipality ? `${caller.role} of ${caller.municipality}` : `a regional ${caller.role}`;
}

/** Decisions that need no partners: the caller is no officer of another municipality. */
const NOT_ASKED: PartnerView = { known: true, partners: new Set(), source: 'not asked' };

export class ReleasePolicy {
  readonly municipality: string;
  private readonly partners: PartnerSource;

  /** @param partners where partners come from when the file says "agreements-in-force". */
  constructor(
    private readonly file: PolicyFile,
    partners?: PartnerSource,
  ) {
    this.municipality = file.municipality;
    if (file.partners === 'agreements-in-force') {
      if (!partners) {
        throw new Error(
          `The release policy of ${file.municipality} takes partners from the agreements in force, but no registry is configured (REGISTRY_URL)`,
        );
      }
      this.partners = partners;
    } else {
      this.partners = fixedPartners(file.partners);
    }
  }

  /** Where partners come from, as the policy file says: "agreements-in-force" or a fixed list. */
  partnersSetting(): PolicyFile['partners'] {
    return this.file.partners;
  }

  grantsFor(coordinate: string): readonly Grant[] {
    const type = coordinate.slice(0, coordinate.indexOf('.'));
    return this.file.fields[coordinate] ?? this.file.fields[`${type}.*`] ?? this.file.default;
  }

  /** Whether deciding for this caller needs to know the partners (an officer of another member). */
  needsPartners(caller: Caller, coordinate: string): boolean {
    if (caller.municipality === null || caller.municipality === this.municipality) return false;
    return this.grantsFor(coordinate).some((g) => g.from === 'partners' && g.roles.includes(caller.role));
  }

  /** The current partners; see `needsPartners` for when to ask. */
  partnerView(): PartnerView | Promise<PartnerView> {
    return this.partners.view();
  }

  decide(caller: Caller, coordinate: string, partners: PartnerView = NOT_ASKED): Decision {
    const grants = this.grantsFor(coordinate);
    let purposeMissing = false;
    let partnersUnknown: string | null = null;
    for (const grant of grants) {
      if (!grant.roles.includes(caller.role)) continue;
      const from = this.fromMatches(grant, caller, partners);
      if (from === 'unknown') {
        if (!partners.known) partnersUnknown = partners.reason;
        continue;
      }
      if (!from) continue;
      const crossBorder = caller.municipality !== this.municipality;
      const needsPurpose = grant.purpose === 'always' || (grant.purpose === 'cross-border' && crossBorder);
      if (needsPurpose && !caller.purpose) {
        purposeMissing = true;
        continue;
      }
      return ALLOWED;
    }
    if (partnersUnknown !== null) {
      return {
        allowed: false,
        code: CODES.AGREEMENTS_UNAVAILABLE,
        reason: `Municipality ${this.municipality} releases ${coordinate} to officers of partner municipalities only, and could not confirm the agreements in force: ${partnersUnknown}`,
      };
    }
    return purposeMissing
      ? {
          allowed: false,
          code: CODES.PURPOSE_REQUIRED,
          reason: `Municipality ${this.municipality} releases ${coordinate} to ${describeCaller(caller)} only with a stated purpose (header x-crossgate-purpose)`,
        }
      : {
          allowed: false,
          code: CODES.FORBIDDEN,
          reason: `Municipality ${this.municipality} does not release ${coordinate} to ${describeCaller(caller)}`,
        };
  }

  private fromMatches(grant: Grant, caller: Caller, partners: PartnerView): boolean | 'unknown' {
    if (grant.from === 'any') return true;
    if (caller.municipality === null) return false;
    if (caller.municipality === this.municipality) return true;
    if (grant.from !== 'partners') return false;
    if (!partners.known) return 'unknown';
    return partners.partners.has(caller.municipality);
  }
}

export function readPolicyFile(path: string): PolicyFile {
  return parsePolicyText(readFileSync(path, 'utf8'), path);
}

/** A policy file's text, parsed and checked; the error names every problem and the file. */
export function parsePolicyText(text: string, path: string): PolicyFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`Invalid release policy ${path}: not JSON (${(e as Error).message})`);
  }
  const parsed = PolicyFileSchema.safeParse(json);
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
