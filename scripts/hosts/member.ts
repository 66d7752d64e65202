// Entry point of one municipality on a host of its own: the municipal server, seeding an empty
// database with its share of the hosts region (REGION_SHAPE) first.
import { runMunicipalProcess } from '../../subgraphs/municipal/process';
import { generateRegion } from '../seed/region';
import { shapeFromEnv } from './shape';

runMunicipalProcess(() => generateRegion(shapeFromEnv())).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
