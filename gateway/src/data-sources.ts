// Which data source answers each subgraph of the plan: a fan-out over the members in scope for the
// municipal subgraphs, with the gateway's own answers and reports, and the registry's for the rest.
import type { GraphQLDataSource } from '@apollo/gateway';
import { MUNICIPAL_SUBGRAPHS } from '../../schema/contract';
import type { MemberCalls } from './auth/member-calls';
import type { GatewayConfig } from './config';
import type { ReferenceCache } from './datasources/reference-cache';
import { RegistryDataSource } from './datasources/registry';
import { timedServices } from './datasources/timing';
import { FanOutDataSource, type FanOutOptions } from './fanout/fanout';
import type { MunicipalSubgraph } from './fanout/rules';
import type { RegionMembership } from './membership/region-membership';
import type { IssuerKeys } from './presentations/issuer-keys';
import { invalidatingOnLifecycleWrites } from './presentations/lifecycle-writes';
import type { StatusListCache } from './presentations/status-cache';
import { presentationVerifier } from './presentations/verify-presentation';
import { workforceFlowsReport } from './workforce-flows/aggregate-report';
import { registryCall } from './workforce-flows/registry-call';

export interface DataSourceParts {
  config: GatewayConfig;
  region: Pick<RegionMembership, 'http' | 'membership' | 'breakers' | 'traffic'>;
  calls: MemberCalls;
  /** The registry's answers about reference data, kept while its version holds. */
  reference: ReferenceCache;
  issuerKeys: IssuerKeys;
  statusLists: StatusListCache;
  now: () => number;
  onShardCall?: FanOutOptions['onShardCall'];
  /** Time every data source for Server-Timing. */
  serverTiming?: boolean;
}

const isMunicipal = (name: string): name is MunicipalSubgraph =>
  (MUNICIPAL_SUBGRAPHS as readonly string[]).includes(name);

/** The fan-out of one municipal subgraph; a lifecycle write through it forgets the kept status lists. */
function municipalSource(subgraph: MunicipalSubgraph, parts: DataSourceParts): GraphQLDataSource {
  const { config, region, calls, now } = parts;
  const today = () => new Date(now()).toISOString().slice(0, 10);
  const fanOut = new FanOutDataSource({
    subgraph,
    shards: () => region.membership.shardMap(subgraph),
    http: region.http,
    timeoutMs: config.shardTimeoutMs,
    headers: (shard, body, context) => calls.forward(shard.url, body, context),
    checkAnswer: calls.checkAnswer,
    onShardCall: parts.onShardCall,
    breakers: region.breakers,
    traffic: region.traffic,
    aggregates: {
      workforceFlows: workforceFlowsReport({
        threshold: config.flowSuppressionThreshold,
        registry: registryCall(region.http, config.registryUrl, config.shardTimeoutMs, calls.forward),
      }),
    },
    answers: {
      verifyPresentation: presentationVerifier({
        keys: parts.issuerKeys,
        statusLists: parts.statusLists,
        today,
        keyring: calls.keyring,
        now,
      }),
    },
  });
  return invalidatingOnLifecycleWrites(fanOut, parts.statusLists);
}

/** The gateway's `buildService`: one data source per subgraph the supergraph names. */
export function gatewayDataSources(parts: DataSourceParts): (service: { name: string }) => GraphQLDataSource {
  const { config, region, calls } = parts;
  return timedServices(parts.serverTiming, ({ name }: { name: string }) =>
    isMunicipal(name)
      ? municipalSource(name, parts)
      : new RegistryDataSource(
          () => config.registryUrl,
          region.http,
          config.shardTimeoutMs,
          (body, context) => calls.forward(config.registryUrl, body, context),
          parts.reference,
        ),
  );
}
