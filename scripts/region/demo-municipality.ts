// Demo entry point of one municipality's subgraph: the server process, seeding an empty database with
// the municipality's share of the generated demo region first.
import { runMunicipalProcess } from '../../subgraphs/municipal/process';
import { generateRegion } from '../seed/region';
import { demoShape } from './demo';

runMunicipalProcess(() => generateRegion(demoShape())).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
