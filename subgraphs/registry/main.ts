// Entry point of the registry subgraph server.
import { runRegistryProcess } from './process';

runRegistryProcess().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
