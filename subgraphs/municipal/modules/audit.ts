// Resolvers of the owner's audit trail: who read which of this municipality's records, and what was refused.
import { crossgateError } from '../../../schema/errors';
import type { MunicipalContext } from '../context';

const AUDIT_CURSOR = /^audit:(\d{1,15})$/;

/** A position in the log: the entry's seq, opaque to clients. */
export function auditCursor(seq: number): string {
  return Buffer.from(`audit:${seq}`).toString('base64url');
}

function seqOfCursor(cursor: string): number {
  const match = AUDIT_CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) {
    throw crossgateError('BAD_USER_INPUT', 'after must be an endCursor of auditTrail', {
      argumentName: 'after',
    });
  }
  return Number(match[1]);
}

async function resolveQueryAuditTrail(
  _: unknown,
  args: { municipality: string; first?: number | null; after?: string | null },
  ctx: MunicipalContext,
) {
  if (!ctx.store.municipalities.includes(args.municipality)) {
    throw crossgateError(
      'UNKNOWN_MUNICIPALITY',
      `This subgraph keeps no audit log for ${args.municipality.slice(0, 8)}`,
      {
        municipality: ctx.store.municipalities.join('+'),
      },
    );
  }
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 500) {
    throw crossgateError('BAD_USER_INPUT', `first must be between 1 and 500; received ${first}`, {
      argumentName: 'first',
    });
  }
  // One entry more than asked tells whether another page follows.
  const entries = await ctx.audit.trail({
    municipality: args.municipality,
    first: first + 1,
    before: args.after ? seqOfCursor(args.after) : null,
  });
  const page = entries.slice(0, first);
  const edges = page.map((e) => ({
    cursor: auditCursor(e.seq),
    node: { ...e, homeMunicipality: e.home, decision: e.decision.toUpperCase() },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: entries.length > first,
      endCursor: edges.at(-1)?.cursor ?? null,
      missingMunicipalities: [],
    },
  };
}

export const auditResolvers = {
  Query: {
    auditTrail: resolveQueryAuditTrail,
  },
};
