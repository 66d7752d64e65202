// Live membership: the routing tables of both fanned-out subgraphs, refreshed from the registry;
// a member is routed to only once its subgraphs have passed the contract check.
import type { Logger } from '../../../common/logger';
import { MUNICIPAL_SUBGRAPHS } from '../../../schema/contract';
import type { SubgraphHttpClient } from '../datasources/http-client';
import type { MunicipalSubgraph } from '../fanout/rules';
import { type Member, ShardMap } from '../fanout/shards';
import { memberContractProblem } from './contract-check';
import { fetchMembers, type SignRegistryCall } from './directory';

export type MembershipState =
  | { phase: 'loading' }
  | {
      phase: 'ready';
      members: readonly Member[];
      /** Members refused admission, with the reason (rechecked at every refresh). */
      refused: ReadonlyMap<string, string>;
      maps: Record<MunicipalSubgraph, ShardMap>;
      loadedAt: Date;
    };

/** Why a member may not be routed to, or null; the default reads its `_service { sdl }`. */
export type AdmissionCheck = (member: Member) => Promise<string | null>;

export interface MemberHealth {
  code: string;
  status: Member['status'];
  healthy: boolean;
  reason?: string;
  /** Circuit state of each subgraph endpoint, when the caller tracks circuits. */
  circuits?: Record<MunicipalSubgraph, string>;
  /** Calls in flight and waiting at each subgraph endpoint, when the caller tracks queues. */
  load?: Record<MunicipalSubgraph, EndpointLoad>;
}

export interface EndpointLoad {
  inFlight: number;
  queued: number;
}

/** Whether the registry answered the gateway's last call to it (a directory read or a probe). */
export interface RegistryReachability {
  reachable: boolean;
  /** When that call ended (ISO time); null before the first. */
  checkedAt: string | null;
  reason?: string;
}

/** Told the endpoints routed to after every change, so per-endpoint state of departed members is dropped. */
export type RoutedListener = (endpoints: ReadonlySet<string>) => void;

export class Membership {
  private state: MembershipState = { phase: 'loading' };
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  /** Endpoints already admitted: a member is checked again only when its endpoints change. */
  private readonly admitted = new Set<string>();
  private readonly admit: AdmissionCheck;
  private readonly changeListeners: (() => void)[] = [];
  private readonly routedListeners: RoutedListener[] = [];
  private registryState: RegistryReachability = { reachable: false, checkedAt: null };

  constructor(
    private readonly registryUrl: string,
    private readonly http: SubgraphHttpClient,
    private readonly log: Logger,
    private readonly sign: SignRegistryCall,
    private readonly timeoutMs = 5000,
    admit?: AdmissionCheck,
  ) {
    this.admit = admit ?? ((m) => memberContractProblem(m, http, timeoutMs));
  }

  /** Hears every change of the member list or of a member's status. */
  onChange(listener: () => void) {
    this.changeListeners.push(listener);
  }

  get current(): MembershipState {
    return this.state;
  }

  get registry(): RegistryReachability {
    return this.registryState;
  }

  /** Records the outcome of a call to the registry: null when it answered, else why not. */
  noteRegistry(problem: string | null): void {
    this.registryState = {
      reachable: problem === null,
      checkedAt: new Date().toISOString(),
      ...(problem === null ? {} : { reason: problem }),
    };
  }

  /** Calls `listener` with the routed endpoints after every load of the directory. */
  onRouted(listener: RoutedListener): void {
    this.routedListeners.push(listener);
  }

  shardMap(subgraph: MunicipalSubgraph): ShardMap {
    if (this.state.phase !== 'ready') return new ShardMap([], subgraph);
    return this.state.maps[subgraph];
  }

  /**
   * Every member the registry lists, with whether the gateway routes to it and why not; with
   * `circuitOf`, a member whose circuit is open is not healthy either.
   */
  health(circuitOf?: (url: string) => string, loadOf?: (url: string) => EndpointLoad): MemberHealth[] {
    if (this.state.phase !== 'ready') return [];
    const { refused } = this.state;
    return this.state.members.map((m) => {
      const circuits = circuitOf && {
        credentials: circuitOf(m.credentialsUrl),
        workforce: circuitOf(m.workforceUrl),
      };
      const load = loadOf && { credentials: loadOf(m.credentialsUrl), workforce: loadOf(m.workforceUrl) };
      const open = circuits && Object.values(circuits).some((c) => c !== 'closed');
      const reason =
        m.status !== 'ACTIVE'
          ? 'suspended in the registry'
          : (refused.get(m.code) ?? (open ? 'failing: its circuit is open' : undefined));
      return {
        code: m.code,
        status: m.status,
        healthy: reason === undefined,
        ...(reason ? { reason } : {}),
        ...(circuits ? { circuits } : {}),
        ...(load ? { load } : {}),
      };
    });
  }

  /** Reads the directory again; keeps the last good list when the registry is unavailable. */
  refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async load(): Promise<void> {
    let members: Member[];
    try {
      members = await fetchMembers(this.registryUrl, this.http, this.timeoutMs, this.sign);
    } catch (e) {
      this.noteRegistry((e as Error).message);
      this.log.warn({ err: (e as Error).message }, 'membership refresh failed; keeping the last list');
      if (this.state.phase === 'loading') throw e;
      return;
    }
    this.noteRegistry(null);
    const refused = new Map<string, string>();
    await Promise.all(
      members
        .filter((m) => m.status === 'ACTIVE' && !this.admitted.has(endpointsOf(m)))
        .map(async (m) => {
          const problem = await this.admit(m);
          if (problem === null) {
            this.admitted.add(endpointsOf(m));
          } else {
            refused.set(m.code, problem);
            const before = this.state.phase === 'ready' ? this.state.refused.get(m.code) : undefined;
            if (before !== problem)
              this.log.warn(
                { municipality: m.code, reason: problem },
                `municipality ${m.code} refused: ${problem}`,
              );
          }
        }),
    );
    const before = this.state.phase === 'ready' ? describe(this.state.members, this.state.refused) : '';
    const codes = new Set(refused.keys());
    this.state = {
      phase: 'ready',
      members,
      refused,
      maps: {
        credentials: new ShardMap(members, 'credentials', codes),
        workforce: new ShardMap(members, 'workforce', codes),
      },
      loadedAt: new Date(),
    };
    const maps = this.state.maps;
    const routed = new Set(MUNICIPAL_SUBGRAPHS.flatMap((s) => maps[s].shards.map((shard) => shard.url)));
    for (const listener of this.routedListeners) listener(routed);
    const after = describe(members, refused);
    if (before !== after) {
      this.log.info({ members: after }, 'membership changed');
      for (const listener of this.changeListeners) listener();
    }
  }

  start(intervalMs: number) {
    if (intervalMs > 0) {
      this.timer = setInterval(() => void this.refresh().catch(() => undefined), intervalMs);
      this.timer.unref();
    }
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
  }
}

function endpointsOf(m: Member): string {
  return `${m.code} ${m.credentialsUrl} ${m.workforceUrl}`;
}

function describe(members: readonly Member[], refused: ReadonlyMap<string, string>): string {
  return members.map((m) => `${m.code}:${refused.has(m.code) ? 'REFUSED' : m.status}`).join(',');
}
