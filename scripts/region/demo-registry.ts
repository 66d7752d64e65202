// Demo entry point of the registry subgraph: the server process, seeding an empty registry with the
// generated demo region's members, standards and mappings and the demo's agreements first.
import { runRegistryProcess } from '../../subgraphs/registry/process';
import { demoRegistrySeed } from '../seed/agreements';
import { generateRegion } from '../seed/region';
import { demoShape } from './demo';

runRegistryProcess(() => demoRegistrySeed(generateRegion(demoShape()))).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
