// FlowReport.recognition: placements counted by the recognition of the credential they name, in
// the municipality of work on their start date. Four rounds, no personal data leaves its owner
// beyond credential ids and what a certificate shows (docs/flows.md, "Recognition breakdown").
import { CODES } from '../../../schema/errors';
import type { FlowQuery } from '../../../schema/flows';
import type { GraphQLPayload, GraphQLWireError } from '../datasources/http-client';
import type { AggregateIO, ShardReply } from '../fanout/aggregate';

type Json = Record<string, unknown>;

export const FLOW_OUTCOMES = [
  'HOME',
  'RECOGNISED',
  'CONDITIONAL',
  'PARTIAL',
  'NOT_RECOGNISED',
  'UNKNOWN',
] as const;
export type FlowOutcome = (typeof FLOW_OUTCOMES)[number];
export type OutcomeCounts = Record<FlowOutcome, number>;

/** A call to the registry with the caller's forwarded identity; a failure carries its code. */
export type RegistryCall = (
  query: string,
  variables: Json,
  context: unknown,
) => Promise<{ ok: true; payload: GraphQLPayload } | { ok: false; code: string }>;

const FILTER = '$from: [ID!], $to: [ID!], $isco: String, $period: PeriodRange';
const PASS = 'from: $from, to: $to, isco: $isco, period: $period';
const USED = `query FlowCredentialsUsed(${FILTER}) { flowCredentialsUsed(${PASS}) }`;
const FACTS = `query FlowCredentialFacts($municipalities: [ID!]!, $ids: [ID!]!) {
  flowCredentialFacts(municipalities: $municipalities, ids: $ids) { id qualificationId eqfLevel status validFrom validUntil } }`;
const GROUPS = `query FlowRecognitionGroups(${FILTER}, $facts: [FlowCredentialFactsInput!]!, $changeDates: [Date!]!) {
  flowRecognitionGroups(${PASS}, facts: $facts, changeDates: $changeDates) {
    from to qualificationId eqfLevel status validity since placements } }`;
const CHANGE_DATES = 'query AgreementChangeDates { agreementChangeDates }';
const OUTCOMES = 'query FlowOutcomes($groups: [FlowOutcomeGroup!]!) { flowOutcomes(groups: $groups) }';

interface Group {
  from: string;
  to: string;
  qualificationId: string | null;
  eqfLevel: number | null;
  status: string | null;
  validity: string;
  since: string;
  placements: number;
}

const zero = (): OutcomeCounts => ({
  HOME: 0,
  RECOGNISED: 0,
  CONDITIONAL: 0,
  PARTIAL: 0,
  NOT_RECOGNISED: 0,
  UNKNOWN: 0,
});

function failures(replies: readonly ShardReply[], what: string): GraphQLWireError[] {
  return replies.flatMap((r) =>
    r.data === null || r.errors.length > 0
      ? [
          {
            message: `Municipality ${r.shard.id} did not answer for the recognition breakdown (${what})`,
            extensions: {
              code: r.errors[0]?.extensions?.code ?? CODES.MUNICIPALITY_UNAVAILABLE,
              municipality: r.shard.id,
            },
          },
        ]
      : [],
  );
}

/** Counts the filtered placements by outcome; the sum equals the report's total placements. */
export async function countByOutcome(
  query: FlowQuery,
  io: Pick<AggregateIO, 'ask' | 'context'>,
  registry: RegistryCall,
): Promise<{ counts: OutcomeCounts; errors: GraphQLWireError[] }> {
  const filter = {
    from: query.from,
    to: query.to,
    isco: query.iscoPrefix,
    period: { from: query.startFrom, to: query.startTo },
  };
  const errors: GraphQLWireError[] = [];
  const registryFailed = (code: string) =>
    errors.push({
      message:
        'The registry did not answer for the recognition breakdown; cross-border placements count as UNKNOWN',
      extensions: { code },
    });

  // Round 1: each destination names the foreign credentials its placements use; the registry
  // names the dates on which any agreement enters or leaves force.
  const [used, dates] = await Promise.all([
    io.ask(query.to, USED, () => filter),
    registry(CHANGE_DATES, {}, io.context),
  ]);
  errors.push(...failures(used, 'credentials used'));
  const usedBy = new Map(
    used.map((r) => [r.shard.id, (r.data?.flowCredentialsUsed as string[] | undefined) ?? []]),
  );
  const changeDates = dates.ok
    ? ((dates.payload.data?.agreementChangeDates as string[] | undefined) ?? null)
    : null;
  if (!dates.ok || changeDates === null) registryFailed(dates.ok ? CODES.REGISTRY_UNAVAILABLE : dates.code);

  // Round 2: each issuer states the facts of its own credentials among those, and no others.
  const byOwner = new Map<string, string[]>();
  for (const id of new Set([...usedBy.values()].flat())) {
    const owner = id.slice(0, id.indexOf(':'));
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), id]);
  }
  const facts = new Map<string, Json>();
  if (byOwner.size > 0) {
    const replies = await io.ask([...byOwner.keys()], FACTS, (shard) => {
      const owners = shard.codes.filter((c) => byOwner.has(c));
      return { municipalities: owners, ids: owners.flatMap((c) => byOwner.get(c) ?? []) };
    });
    errors.push(...failures(replies, 'credential facts'));
    for (const r of replies)
      for (const f of (r.data?.flowCredentialFacts as Json[] | undefined) ?? []) facts.set(f.id as string, f);
  }

  // Round 3: each destination groups its placements by what decides recognition, in one statement,
  // having received the facts of the credentials it named only.
  const grouped = await io.ask(query.to, GROUPS, (shard) => ({
    ...filter,
    facts: (usedBy.get(shard.id) ?? []).flatMap((id) => {
      const f = facts.get(id);
      return f ? [f] : [];
    }),
    changeDates: changeDates ?? [],
  }));
  errors.push(...failures(grouped, 'grouped placements'));
  const groups = grouped.flatMap((r) => (r.data?.flowRecognitionGroups as Group[] | undefined) ?? []);

  // Round 4: the registry decides each distinct cross-border group with decideRecognition.
  const counts = zero();
  const decidable = new Map<string, Json>();
  const keyOf = (g: Group) =>
    [g.from, g.to, g.qualificationId, g.eqfLevel, g.status, g.validity, g.since].join('\u0000');
  for (const g of groups) {
    if (g.from === g.to) counts.HOME += g.placements;
    else if (g.status === null || g.qualificationId === null || changeDates === null)
      counts.UNKNOWN += g.placements;
    else
      decidable.set(keyOf(g), {
        issuer: g.from,
        destination: g.to,
        qualificationId: g.qualificationId,
        eqfLevel: g.eqfLevel,
        status: g.status,
        validity: g.validity,
        at: g.since,
      });
  }
  const keys = [...decidable.keys()];
  let outcomes: string[] | null = null;
  if (keys.length > 0) {
    const answer = await registry(OUTCOMES, { groups: [...decidable.values()] }, io.context);
    const list = answer.ok ? (answer.payload.data?.flowOutcomes as string[] | undefined) : undefined;
    if (answer.ok && Array.isArray(list) && list.length === keys.length) outcomes = list;
    else registryFailed(answer.ok ? CODES.REGISTRY_UNAVAILABLE : answer.code);
  }
  const outcomeOf = new Map(keys.map((k, i) => [k, outcomes?.[i]]));
  for (const g of groups) {
    if (g.from === g.to || !decidable.has(keyOf(g))) continue;
    const o = outcomeOf.get(keyOf(g));
    const known = o !== undefined && o !== 'HOME' && (FLOW_OUTCOMES as readonly string[]).includes(o);
    counts[known ? (o as FlowOutcome) : 'UNKNOWN'] += g.placements;
  }
  return { counts, errors };
}
