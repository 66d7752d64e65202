// Alternates load over running systems in rounds, sampling each gateway from /proc; medians per system.
import { type LoadResult, runLoad } from './load';
import { sampleTree } from './proc';

export interface Target {
  id: string;
  label: string;
  url: string;
  pid: number;
  body: string;
  headers?: Record<string, string>;
}

export interface Round extends LoadResult {
  cpuMs: number;
  peakRssBytes: number;
  /** Subgraph calls counted during the window, when the workload can count them. */
  calls?: number;
}

export interface Summary {
  id: string;
  label: string;
  rounds: Round[];
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  peakRssMb: number;
  cpuMsPerRequest: number;
  callsPerRequest?: number;
}

export interface RoundPlan {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  scratchDir: string;
  /** Total subgraph calls so far, read before and after each window. */
  countCalls?: () => Promise<number>;
  log: (line: string) => void;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

export async function alternate(targets: readonly Target[], plan: RoundPlan): Promise<Summary[]> {
  const spec = (t: Target, seconds: number) => ({
    url: t.url,
    body: t.body,
    headers: t.headers,
    connections: plan.connections,
    seconds,
  });
  for (const t of targets) {
    if (plan.warmupSeconds > 0) await runLoad(spec(t, plan.warmupSeconds), plan.scratchDir);
  }
  const rounds = new Map<string, Round[]>(targets.map((t) => [t.id, []]));
  for (let r = 0; r < plan.rounds; r++) {
    // rotate the order so no system always runs first (or right after the same neighbour)
    const order = targets.map((_, i) => targets[(i + r) % targets.length] as Target);
    for (const t of order) {
      const callsBefore = await plan.countCalls?.();
      const sampler = sampleTree(t.pid);
      const load = await runLoad(spec(t, plan.seconds), plan.scratchDir);
      const usage = sampler.stop();
      const callsAfter = await plan.countCalls?.();
      const calls =
        callsBefore === undefined || callsAfter === undefined ? undefined : callsAfter - callsBefore;
      rounds.get(t.id)?.push({ ...load, ...usage, calls });
      if (load.errors > 0) plan.log(`  ${t.id} answered with errors, e.g. ${await sample(t)}`);
      plan.log(
        `  round ${r + 1} ${t.id}: ${load.rps.toFixed(1)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, ` +
          `${(usage.cpuMs / Math.max(load.requests, 1)).toFixed(2)} CPU ms/req, errors ${load.errors}`,
      );
    }
  }
  return targets.map((t) => summarise(t, rounds.get(t.id) ?? []));
}

function summarise(t: Target, rounds: Round[]): Summary {
  const requests = rounds.reduce((n, r) => n + r.requests, 0);
  const calls = rounds.every((r) => r.calls !== undefined)
    ? rounds.reduce((n, r) => n + (r.calls ?? 0), 0)
    : undefined;
  return {
    id: t.id,
    label: t.label,
    rounds,
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    peakRssMb: Math.max(...rounds.map((r) => r.peakRssBytes)) / 2 ** 20,
    cpuMsPerRequest: rounds.reduce((n, r) => n + r.cpuMs, 0) / Math.max(requests, 1),
    callsPerRequest: calls === undefined ? undefined : calls / Math.max(requests, 1),
  };
}

/** One request's status and the start of its body, to say what the errors were. */
async function sample(t: Target): Promise<string> {
  try {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...t.headers },
      body: t.body,
    });
    return `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`;
  } catch (e) {
    return String(e);
  }
}
