// The registry's part of FlowReport.recognition: when agreements change, and the outcome of each
// group of placements (issuer, destination, qualification, credential state, date) by decideRecognition.
import { isRecordedStatus } from '../../../schema/credential-status';
import { crossgateError } from '../../../schema/errors';
import { municipalityCodeArgument } from '../../../schema/ids';
import { isIsoDate } from '../../../schema/scalars';
import type { RegistryContext } from '../context';
import { factsOf } from './agreements/records';
import { type AgreementFacts, decideRecognition } from './recognition/decide';

export interface FlowOutcomeGroup {
  issuer: string;
  destination: string;
  qualificationId: string;
  eqfLevel: number | null;
  status: string;
  validity: string;
  at: string;
}

/** The day after `date` (YYYY-MM-DD), in UTC. */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Every date on which `inForce(a, ·)` may change value, for all agreements, ascending. */
export function inForceChangeDates(agreements: readonly AgreementFacts[]): string[] {
  const dates = new Set<string>();
  for (const a of agreements) {
    for (const p of a.parties) if (p.ratifiedOn) dates.add(p.ratifiedOn);
    dates.add(a.validFrom);
    if (a.validUntil) dates.add(nextDay(a.validUntil));
    if (a.suspendedOn) dates.add(a.suspendedOn);
    if (a.resumedOn) dates.add(a.resumedOn);
    if (a.terminatedOn) dates.add(a.terminatedOn);
  }
  return [...dates].sort();
}

/**
 * Validity as dates decideRecognition reads the same way on the group's date: the destination
 * compared each start date with the credential's window in SQL and sent only the verdict.
 */
function windowFor(validity: string, at: string): { validFrom: string; validUntil: string | null } {
  if (validity === 'VALID') return { validFrom: '0001-01-01', validUntil: null };
  if (validity === 'NOT_YET_VALID') return { validFrom: nextDay(at), validUntil: null };
  if (validity === 'EXPIRED') return { validFrom: '0001-01-01', validUntil: '0001-01-01' };
  throw crossgateError('BAD_USER_INPUT', `validity must be VALID, NOT_YET_VALID or EXPIRED`, {
    argumentName: 'groups',
  });
}

async function outcomeOf(g: FlowOutcomeGroup, ctx: RegistryContext): Promise<string> {
  municipalityCodeArgument(g.issuer, 'groups.issuer');
  municipalityCodeArgument(g.destination, 'groups.destination');
  if (!isRecordedStatus(g.status) || !isIsoDate(g.at)) {
    throw crossgateError('BAD_USER_INPUT', 'groups.status must be ACTIVE, SUSPENDED or REVOKED', {
      argumentName: 'groups',
    });
  }
  const mapping = await ctx.loaders.mapping.load(g.qualificationId);
  const standard = mapping ? await ctx.loaders.standard.load(mapping.standardCode) : null;
  const agreements =
    g.issuer === g.destination ? [] : await ctx.loaders.binding.load(`${g.issuer}|${g.destination}`);
  return decideRecognition({
    credential: {
      issuer: g.issuer,
      status: g.status,
      ...windowFor(g.validity, g.at),
      eqfLevel: g.eqfLevel,
    },
    standard: standard
      ? { code: standard.code, iscoCode: standard.iscoCode, eqfLevel: standard.eqfLevel }
      : null,
    destination: g.destination,
    at: g.at,
    agreements,
  }).outcome;
}

async function resolveQueryAgreementChangeDates(_: unknown, __: unknown, ctx: RegistryContext) {
  const rows = await ctx.agreements.agreements(null);
  const parties = await ctx.agreements.partiesByAgreementIds(rows.map((r) => r.id));
  return inForceChangeDates(rows.map((r, i) => factsOf(r, parties[i] ?? [])));
}

function resolveQueryFlowOutcomes(_: unknown, args: { groups: FlowOutcomeGroup[] }, ctx: RegistryContext) {
  return Promise.all(args.groups.map((g) => outcomeOf(g, ctx)));
}

export const flowOutcomeResolvers = {
  Query: {
    agreementChangeDates: resolveQueryAgreementChangeDates,
    flowOutcomes: resolveQueryFlowOutcomes,
  },
};
