// Applies the release policy to every field of this municipality's records, and notes each
// access (allowed or denied, with field and record id) for the owner's audit log.
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import type { Caller } from '../../../schema/caller';
import { CODES, crossgateError } from '../../../schema/errors';
import { parseGlobalId } from '../../../schema/ids';
import { codesInScope } from '../../../schema/scope';
import type { AuditEntryInput } from '../audit/chain';
import type { PartnerView } from './partners';
import type { Decision, ReleasePolicy } from './policy';

interface Touched {
  fields: Set<string>;
  ids: Set<string>;
  reasons: Set<string>;
}

/** Per-request record of what was read from, or refused by, each owning municipality. */
export class AccessLog {
  private readonly byOwner = new Map<string, { allowed: Touched; denied: Touched }>();

  note(owner: string, coordinate: string, recordId: string | null, denial: string | null) {
    let entry = this.byOwner.get(owner);
    if (!entry) {
      const empty = (): Touched => ({ fields: new Set(), ids: new Set(), reasons: new Set() });
      entry = { allowed: empty(), denied: empty() };
      this.byOwner.set(owner, entry);
    }
    const side = denial === null ? entry.allowed : entry.denied;
    side.fields.add(coordinate);
    if (recordId !== null) side.ids.add(recordId);
    if (denial !== null) side.reasons.add(denial);
  }

  /** One entry per owner and decision; nothing when no record was touched. */
  entries(base: Omit<AuditEntryInput, 'municipality' | 'fields' | 'recordIds' | 'decision' | 'reason'>) {
    const out: AuditEntryInput[] = [];
    for (const [municipality, { allowed, denied }] of this.byOwner) {
      for (const [decision, t] of [
        ['denied', denied],
        ['allowed', allowed],
      ] as const) {
        if (t.fields.size === 0) continue;
        out.push({
          ...base,
          municipality,
          fields: [...t.fields].sort(),
          recordIds: [...t.ids].sort(),
          decision,
          reason: t.reasons.size ? [...t.reasons].join('; ') : null,
        });
      }
    }
    return out;
  }
}

export interface GuardedContext {
  caller: Caller;
  access: AccessLog;
  store: { municipalities: readonly string[] };
  /** Partners of each owner as first seen by this request, so one request decides on one view. */
  partnerViews: Map<string, PartnerView | Promise<PartnerView>>;
}

/** The municipalities a root field reads: the id's owner, a named municipality, or the scope. */
function rootOwners(args: Record<string, unknown>, served: readonly string[]): readonly string[] {
  if (typeof args.id === 'string') {
    const owner = parseGlobalId(args.id)?.municipality;
    return owner && served.includes(owner) ? [owner] : [];
  }
  if (typeof args.municipality === 'string')
    return served.includes(args.municipality) ? [args.municipality] : [];
  const scope = args.municipalities;
  return Array.isArray(scope) ? codesInScope(served, scope) : served;
}

/**
 * Wraps the resolvers of root fields and of the record types so that each read is checked
 * against the owner's policy before it resolves. Federation's own fields stay as they are.
 */
export function guardSchema(
  schema: GraphQLSchema,
  recordTypes: readonly string[],
  policyOf: (owner: string) => ReleasePolicy | undefined,
): GraphQLSchema {
  const conclude = (
    ctx: GuardedContext,
    owner: string,
    coordinate: string,
    recordId: string | null,
    decision: Decision,
  ) => {
    if (decision.allowed) {
      ctx.access.note(owner, coordinate, recordId, null);
      return;
    }
    ctx.access.note(owner, coordinate, recordId, decision.reason);
    throw crossgateError(decision.code, decision.reason, { municipality: owner, field: coordinate });
  };
  /** Decides at once, or once the owner's partners are known when the decision depends on them. */
  const check = (
    ctx: GuardedContext,
    owner: string,
    coordinate: string,
    recordId: string | null,
  ): Promise<void> | null => {
    const policy = policyOf(owner);
    if (!policy) {
      const reason = `No release policy is configured for ${owner}`;
      conclude(ctx, owner, coordinate, recordId, { allowed: false, code: CODES.FORBIDDEN, reason });
      return null;
    }
    if (!policy.needsPartners(ctx.caller, coordinate)) {
      conclude(ctx, owner, coordinate, recordId, policy.decide(ctx.caller, coordinate));
      return null;
    }
    let view = ctx.partnerViews.get(owner);
    if (view === undefined) {
      view = policy.partnerView();
      ctx.partnerViews.set(owner, view);
    }
    if (!(view instanceof Promise)) {
      conclude(ctx, owner, coordinate, recordId, policy.decide(ctx.caller, coordinate, view));
      return null;
    }
    return view.then((known) =>
      conclude(ctx, owner, coordinate, recordId, policy.decide(ctx.caller, coordinate, known)),
    );
  };
  for (const typeName of ['Query', 'Mutation', ...recordTypes]) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    const root = typeName === 'Query' || typeName === 'Mutation';
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue;
      const coordinate = `${typeName}.${field.name}`;
      const resolve: GraphQLFieldResolver<unknown, GuardedContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, ctx, info) => {
        const pending: Promise<void>[] = [];
        if (root) {
          for (const owner of rootOwners(args, ctx.store.municipalities)) {
            const waiting = check(ctx, owner, coordinate, null);
            if (waiting) pending.push(waiting);
          }
        } else {
          const record = parent as { id?: unknown; municipality?: unknown };
          if (typeof record.municipality === 'string') {
            const id = typeof record.id === 'string' ? record.id : null;
            const waiting = check(ctx, record.municipality, coordinate, id);
            if (waiting) pending.push(waiting);
          }
        }
        if (pending.length === 0) return resolve(parent, args, ctx, info);
        return Promise.all(pending).then(() => resolve(parent, args, ctx, info));
      };
    }
  }
  return schema;
}
