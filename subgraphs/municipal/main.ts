// Entry point of one municipality's subgraph server (one process per municipality).
import { runMunicipalProcess } from './process';

runMunicipalProcess().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
