// Shards: the endpoints serving a fanned-out subgraph, each owning one or more municipality codes.
import type { MunicipalSubgraph } from './rules';

export interface Shard {
  /** Stable name in cursors and errors: the codes it serves, joined by '+'. */
  id: string;
  codes: readonly string[];
  url: string;
  /** How calls to it are made, from its members' directory entries; the gateway's defaults when absent. */
  policy?: CallPolicy;
}

/** A member's call settings as the registry's directory gives them; null takes the gateway's default. */
export interface CallSettings {
  /** Per-call timeout in milliseconds. */
  timeoutMs?: number | null;
  /** Whether a slow read may be sent a second time (hedged); never a write. */
  hedgeReads?: boolean | null;
  /** Calls in flight at once before further calls wait. */
  maxInFlight?: number | null;
  /** Calls that may wait for a slot before further calls are refused (MUNICIPALITY_OVERLOADED). */
  maxQueued?: number | null;
}

/** The settings of a shard: those of its members, the strictest winning where they differ. */
export interface CallPolicy {
  timeoutMs?: number;
  hedgeReads: boolean;
  maxInFlight?: number;
  maxQueued?: number;
}

export interface Member extends CallSettings {
  code: string;
  status: 'ACTIVE' | 'SUSPENDED';
  credentialsUrl: string;
  workforceUrl: string;
}

/** Why a member known to the registry is not routed to. */
export type Exclusion = 'suspended' | 'refused';

/** The routing table for one subgraph: code → shard, built from the member list. */
export class ShardMap {
  readonly shards: readonly Shard[];
  private readonly byCode: ReadonlyMap<string, Shard>;
  private readonly excludedCodes = new Map<string, Exclusion>();

  /** `refused` holds codes of members whose subgraphs were not admitted (contract check). */
  constructor(
    members: readonly Member[],
    subgraph: MunicipalSubgraph,
    refused: ReadonlySet<string> = new Set(),
  ) {
    const byUrl = new Map<string, Member[]>();
    for (const m of members) {
      if (m.status !== 'ACTIVE' || refused.has(m.code)) {
        this.excludedCodes.set(m.code, m.status !== 'ACTIVE' ? 'suspended' : 'refused');
        continue;
      }
      const url = subgraph === 'credentials' ? m.credentialsUrl : m.workforceUrl;
      byUrl.set(url, [...(byUrl.get(url) ?? []), m]);
    }
    this.shards = [...byUrl].map(([url, held]) => {
      const sorted = held.map((m) => m.code).sort();
      return { id: sorted.join('+'), codes: sorted, url, policy: policyOf(held) };
    });
    this.byCode = new Map(this.shards.flatMap((s) => s.codes.map((c) => [c, s] as const)));
  }

  shardOf(code: string): Shard | undefined {
    return this.byCode.get(code);
  }

  /** Why a member of the region is not routed to; undefined for routed codes and non-members. */
  excluded(code: string): Exclusion | undefined {
    return this.excludedCodes.get(code);
  }

  /** The shards holding any of `codes`; every shard when codes is null. */
  inScope(codes: readonly string[] | null): Shard[] {
    if (codes === null) return [...this.shards];
    return this.shards.filter((s) => s.codes.some((c) => codes.includes(c)));
  }
}

/** One shard's policy from the members it serves: the shortest timeout and limits, hedging only if all allow. */
function policyOf(members: readonly CallSettings[]): CallPolicy {
  const least = (values: (number | null | undefined)[], floor = 1) => {
    const set = values.filter((v): v is number => typeof v === 'number' && v >= floor);
    return set.length ? Math.min(...set) : undefined;
  };
  return {
    timeoutMs: least(members.map((m) => m.timeoutMs)),
    hedgeReads: members.length > 0 && members.every((m) => m.hedgeReads === true),
    maxInFlight: least(members.map((m) => m.maxInFlight)),
    maxQueued: least(
      members.map((m) => m.maxQueued),
      0,
    ),
  };
}
