// Resolvers of a municipality's alerts: credentials its officers used whose issuer changed their status.
import { crossgateError } from '../../../schema/errors';
import type { AlertRecord } from '../alerts/receiver';
import type { MunicipalContext } from '../context';
import { officerOf } from './write-checks';

const ALERT_CURSOR = /^alert:(\d{1,15})$/;

/** A position in a municipality's alerts: the alert's seq, opaque to clients. */
export function alertCursor(seq: number): string {
  return Buffer.from(`alert:${seq}`).toString('base64url');
}

function seqOfCursor(cursor: string): number {
  const match = ALERT_CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) {
    throw crossgateError('BAD_USER_INPUT', 'after must be an endCursor of alerts', { argumentName: 'after' });
  }
  return Number(match[1]);
}

async function resolveQueryAlerts(
  _: unknown,
  args: { municipality: string; first?: number | null; after?: string | null },
  ctx: MunicipalContext,
) {
  const municipality = officerOf(args.municipality, ctx);
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 500) {
    throw crossgateError('BAD_USER_INPUT', `first must be between 1 and 500; received ${first}`, {
      argumentName: 'first',
    });
  }
  const before = args.after ? seqOfCursor(args.after) : null;
  if (!ctx.alerts) {
    throw crossgateError(
      'ALERTS_UNAVAILABLE',
      `${municipality} receives no revocation alerts on this server`,
      {
        municipality,
      },
    );
  }
  // One alert more than asked tells whether another page follows.
  const rows = await ctx.alerts.page(municipality, first + 1, before);
  const edges = rows.slice(0, first).map((a) => ({ cursor: alertCursor(a.seq), node: a }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: edges.at(-1)?.cursor ?? null,
      missingMunicipalities: [],
    },
  };
}

function resolveCredentialAlertId(a: AlertRecord) {
  return a.eventId;
}

function resolveCredentialAlertEffectiveAt(a: AlertRecord) {
  return a.effectiveAt.toISOString();
}

function resolveCredentialAlertEffectiveDate(a: AlertRecord) {
  return a.effectiveAt.toISOString().slice(0, 10);
}

function resolveCredentialAlertReceivedAt(a: AlertRecord) {
  return a.receivedAt.toISOString();
}

export const alertResolvers = {
  Query: {
    alerts: resolveQueryAlerts,
  },
  CredentialAlert: {
    id: resolveCredentialAlertId,
    effectiveAt: resolveCredentialAlertEffectiveAt,
    effectiveDate: resolveCredentialAlertEffectiveDate,
    receivedAt: resolveCredentialAlertReceivedAt,
  },
};
