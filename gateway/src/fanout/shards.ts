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

/** The routing table for one subgraph: code → shard, built from the member list. */
export class ShardMap {
  readonly shards: readonly Shard[];
  private readonly byCode: ReadonlyMap<string, Shard>;

  constructor(members: readonly Member[], subgraph: MunicipalSubgraph) {
    const byUrl = new Map<string, string[]>();
    for (const m of members) {
      if (m.status !== 'ACTIVE') continue;
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

  /** The shards holding any of `codes`; every shard when codes is null. */
  inScope(codes: readonly string[] | null): Shard[] {
    if (codes === null) return [...this.shards];
    return this.shards.filter((s) => s.codes.some((c) => codes.includes(c)));
  }
}
