// Live membership: the routing tables of both fanned-out subgraphs, refreshed from the registry.
import type { Logger } from '../../../subgraphs/common/logger';
import type { SubgraphHttpClient } from '../datasources/http-client';
import type { MunicipalSubgraph } from '../fanout/rules';
import { type Member, ShardMap } from '../fanout/shards';
import { fetchMembers, type SignRegistryCall } from './directory';

export type MembershipState =
  | { phase: 'loading' }
  | { phase: 'ready'; members: readonly Member[]; maps: Record<MunicipalSubgraph, ShardMap>; loadedAt: Date };

export class Membership {
  private state: MembershipState = { phase: 'loading' };
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly registryUrl: string,
    private readonly http: SubgraphHttpClient,
    private readonly log: Logger,
    private readonly sign: SignRegistryCall,
    private readonly timeoutMs = 5000,
  ) {}

  get current(): MembershipState {
    return this.state;
  }

  shardMap(subgraph: MunicipalSubgraph): ShardMap {
    if (this.state.phase !== 'ready') return new ShardMap([], subgraph);
    return this.state.maps[subgraph];
  }

  /** Reads the directory again; keeps the last good list when the registry is unavailable. */
  async refresh(): Promise<void> {
    try {
      const members = await fetchMembers(this.registryUrl, this.http, this.timeoutMs, this.sign);
      const before = this.state.phase === 'ready' ? describe(this.state.members) : '';
      this.state = {
        phase: 'ready',
        members,
        maps: {
          credentials: new ShardMap(members, 'credentials'),
          workforce: new ShardMap(members, 'workforce'),
        },
        loadedAt: new Date(),
      };
      const after = describe(members);
      if (before !== after) this.log.info({ members: after }, 'membership changed');
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'membership refresh failed; keeping the last list');
      if (this.state.phase === 'loading') throw e;
    }
  }

  start(intervalMs: number) {
    if (intervalMs > 0) {
      this.timer = setInterval(() => void this.refresh(), intervalMs);
      this.timer.unref();
    }
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
  }
}

function describe(members: readonly Member[]): string {
  return members.map((m) => `${m.code}:${m.status}`).join(',');
}
