// Runs a server in several worker processes (node:cluster) sharing one port; one process when count is 1.
import cluster from 'node:cluster';

export interface WorkerPlan {
  count: number;
  /** Starts the server in this process; called once in each worker (or in the only process). */
  start(): Promise<unknown>;
  onReady?(): void;
}

export async function runWorkers({ count, start, onReady }: WorkerPlan): Promise<void> {
  if (count <= 1 || !cluster.isPrimary) {
    await start();
    if (cluster.isPrimary) onReady?.();
    else process.send?.({ ready: true });
    return;
  }
  let ready = 0;
  for (let i = 0; i < count; i++) {
    const worker = cluster.fork();
    worker.on('message', (m: { ready?: boolean }) => {
      if (m.ready && ++ready === count) onReady?.();
    });
    worker.on('exit', (code) => {
      if (code !== 0) process.exitCode = code ?? 1;
    });
  }
  const stop = () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
