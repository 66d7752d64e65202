// Gateway-internal fields behind FlowReport.recognition: a destination names the foreign
// credentials its placements use, an issuer states their facts, the destination groups in SQL.

import { isRecordedStatus, RECORDED_STATUSES } from '../../../schema/credential-status';
import { crossgateError } from '../../../schema/errors';
import { type FlowArgs, flowQueryFromArgs } from '../../../schema/flows';
import { parseGlobalId } from '../../../schema/ids';
import type { MunicipalContext } from '../context';
import { credentialFactsOf } from '../credential-facts';
import type { CredentialFacts } from '../store';

/** More ids than a region's credentials in one request is misuse, not a dashboard. */
const MAX_IDS = 200_000;

function checkIds(ids: readonly string[], argumentName: string) {
  if (ids.length > MAX_IDS) {
    throw crossgateError('BAD_USER_INPUT', `${argumentName} holds ${ids.length} ids; at most ${MAX_IDS}`, {
      argumentName,
    });
  }
  const bad = ids.find((id) => !parseGlobalId(id));
  if (bad !== undefined) {
    throw crossgateError(
      'BAD_USER_INPUT',
      `${argumentName} must hold global ids such as "SB:C-000123"; received ${JSON.stringify(bad.slice(0, 40))}`,
      { argumentName },
    );
  }
}

function checkFacts(facts: readonly CredentialFacts[]) {
  checkIds(
    facts.flatMap((f) => [f.id, f.qualificationId]),
    'facts',
  );
  const bad = facts.find((f) => !isRecordedStatus(f.status));
  if (bad) {
    throw crossgateError(
      'BAD_USER_INPUT',
      `facts.status must be one of ${RECORDED_STATUSES.join(', ')}; received ${JSON.stringify(String(bad.status).slice(0, 20))}`,
      { argumentName: 'facts' },
    );
  }
}

function resolveQueryFlowCredentialsUsed(_: unknown, args: FlowArgs, ctx: MunicipalContext) {
  return ctx.store.flowCredentialsUsed(flowQueryFromArgs(args));
}

async function resolveQueryFlowCredentialFacts(
  _: unknown,
  args: { municipalities: string[]; ids: string[] },
  ctx: MunicipalContext,
) {
  checkIds(args.ids, 'ids');
  const asked = ctx.store.municipalities.filter((m) => args.municipalities.includes(m));
  const own = [...new Set(args.ids)].filter((id) => asked.includes(parseGlobalId(id)?.municipality ?? ''));
  if (own.length === 0) return [];
  const credentials = (await ctx.store.credentialsByIds(own)).filter(
    (c): c is Exclude<typeof c, Error | null> => c !== null && !(c instanceof Error),
  );
  const facts = await credentialFactsOf(credentials, ctx.store);
  // The owner's audit log names every credential whose facts were released.
  for (const c of credentials) ctx.access.note(c.municipality, 'Query.flowCredentialFacts', c.id, null);
  return facts;
}

function resolveQueryFlowRecognitionGroups(
  _: unknown,
  args: FlowArgs & { facts: CredentialFacts[]; changeDates: string[] },
  ctx: MunicipalContext,
) {
  checkFacts(args.facts);
  const changeDates = [...new Set(args.changeDates)].sort();
  return ctx.store.placementRecognitionGroups(flowQueryFromArgs(args), args.facts, changeDates);
}

export const flowUseResolvers = {
  Query: {
    flowCredentialsUsed: resolveQueryFlowCredentialsUsed,
    flowCredentialFacts: resolveQueryFlowCredentialFacts,
    flowRecognitionGroups: resolveQueryFlowRecognitionGroups,
  },
};
