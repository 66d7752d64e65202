// Benchmark gateways exit normally on SIGTERM, so that a --cpu-prof profile is written.
import cluster from 'node:cluster';

/** In a single process or a worker: exit(0) on SIGTERM. A cluster's primary waits for its workers instead. */
export function exitOnSigterm(workers: number): void {
  if (cluster.isPrimary && workers > 1) return;
  process.once('SIGTERM', () => process.exit(0));
}
