// The standard workload: four subgraphs in one process, each gateway in its own, load alternated in rounds.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, type Started, startProcess, tsEntry } from '../lib/processes';
import { alternate, type RoundPlan, type Summary } from '../lib/rounds';
import { composeStandard } from './compose';
import { STANDARD_QUERY } from './query';
import type { StandardSubgraph } from './subgraphs';
import type { SystemSpec } from './systems';

export const STANDARD_BODY = JSON.stringify({ query: STANDARD_QUERY });

export interface StandardOutcome {
  summaries: Summary[];
  /** Systems whose answer differed from the first system's. */
  mismatches: string[];
  responseBytes: number;
}

/** `scale` multiplies the subgraphs' users and reviews: 1 is today's answer, 4 about 120 KB. */
export async function runStandard(
  systems: readonly SystemSpec[],
  plan: Omit<RoundPlan, 'countCalls'> & { profileDir?: string },
  scale = 1,
): Promise<StandardOutcome> {
  const started: Started[] = [];
  try {
    const subgraphs = await startProcess({
      name: 'standard subgraphs',
      ...tsEntry(join(__dirname, '..', 'serve', 'standard-subgraphs.ts')),
      env: { STANDARD_SCALE: String(scale) },
      announces: true,
    });
    started.push(subgraphs);
    const urls = subgraphs.announcement?.urls as Record<StandardSubgraph, string>;
    const supergraphFile = join(plan.scratchDir, `standard-supergraph-${scale}.graphql`);
    writeFileSync(supergraphFile, composeStandard(urls));
    const countCalls = async () => {
      let n = 0;
      for (const url of Object.values(urls))
        n += Number(await (await fetch(url.replace('/graphql', '/calls'))).text());
      return n;
    };
    const targets = [];
    for (const system of systems) {
      const port = await freePort();
      plan.log(`starting ${system.label} on port ${port}`);
      const proc = await system.start(
        supergraphFile,
        port,
        plan.profileDir ? join(plan.profileDir, system.id) : undefined,
      );
      started.push(proc);
      targets.push({
        id: system.id,
        label: system.label,
        url: `http://127.0.0.1:${port}/graphql`,
        pid: proc.pid,
        body: STANDARD_BODY,
      });
    }
    const answers = await Promise.all(
      targets.map(async (t) => {
        const res = await fetch(t.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: STANDARD_BODY,
        });
        return (await res.text()).trim();
      }),
    );
    const reference = JSON.stringify((JSON.parse(answers[0] ?? '{}') as { data?: unknown }).data ?? null);
    const mismatches = targets
      .filter(
        (_, i) =>
          JSON.stringify((JSON.parse(answers[i] ?? '{}') as { data?: unknown }).data ?? null) !== reference ||
          (answers[i] ?? '').includes('"errors"'),
      )
      .map((t) => t.id);
    const summaries = await alternate(targets, { ...plan, countCalls });
    return { summaries, mismatches, responseBytes: Buffer.byteLength(answers[0] ?? '') };
  } finally {
    for (const p of started.reverse()) await p.stop();
  }
}
