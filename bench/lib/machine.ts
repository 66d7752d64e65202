// Describes the machine a benchmark ran on, for the report.
import { cpus, loadavg, release, totalmem } from 'node:os';

export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
  return [
    `${cores.length} × ${model}`,
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `Linux ${release()}`,
    `Node ${process.version}`,
    `load average at start ${load} (1/5/15 min)`,
  ].join(', ');
}
