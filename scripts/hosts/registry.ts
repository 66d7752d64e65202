// Entry point of the registry on a host of its own: seeds an empty registry with the hosts region's
// members (REGION_SHAPE), standards and the agreements among them, publishing MEMBER_ENDPOINTS.
import { runRegistryProcess } from '../../subgraphs/registry/process';
import { hostsRegistrySeed, shapeFromEnv } from './shape';

runRegistryProcess(() => hostsRegistrySeed(shapeFromEnv())).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
