// Shards: the endpoints serving a fanned-out subgraph, each owning one or more municipality codes.
import type { MunicipalSubgraph } from './rules';

export interface Shard {
  /** Stable name in cursors and errors: the codes it serves, joined by '+'. */
  id: string;
  codes: readonly string[];
  url: string;
}

export interface Member {
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
    const byUrl = new Map<string, string[]>();
    for (const m of members) {
      if (m.status !== 'ACTIVE' || refused.has(m.code)) {
        this.excludedCodes.set(m.code, m.status !== 'ACTIVE' ? 'suspended' : 'refused');
        continue;
      }
      const url = subgraph === 'credentials' ? m.credentialsUrl : m.workforceUrl;
      byUrl.set(url, [...(byUrl.get(url) ?? []), m.code]);
    }
    this.shards = [...byUrl].map(([url, codes]) => {
      const sorted = [...codes].sort();
      return { id: sorted.join('+'), codes: sorted, url };
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
