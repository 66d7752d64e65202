// Crossgate as it was at an earlier commit, beside today's in the same run: the tree at `ref` is
// unpacked (git archive) into the bench's scratch folder and runs on this checkout's node_modules,
// so "before" and "after" rows alternate under the same load on the same machine. The standard
// workload's gateways share its plain subgraphs; for the domain workloads on three municipalities the
// earlier commit runs its own region too, since the protocol between members (keys, signed calls and
// answers) changes with the commits.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainOutcome } from '../domain/run';
import type { Summary } from '../lib/rounds';
import type { StandardOutcome } from './run';
import { gatewaySystem, type SystemSpec } from './systems';

const ROOT = join(__dirname, '..', '..');
const ENTRY = join('bench', 'serve', 'crossgate-federated.ts');

export interface BaselineTree {
  /** The commit's short id, for the rows' labels. */
  short: string;
  dir: string;
}

/** Unpacks the tree at `ref` once per commit; fails naming the ref when git cannot find it. */
export function baselineTree(ref: string, scratchDir: string): BaselineTree {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  let short: string;
  try {
    short = git('rev-parse', '--short', `${ref}^{commit}`);
  } catch {
    throw new Error(`--baseline=${ref}: git knows no such commit in this checkout`);
  }
  const dir = join(scratchDir, `baseline-${short}`);
  if (!existsSync(join(dir, ENTRY))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git archive --format=tar ${short} | tar -x -C "${dir}"`], { cwd: ROOT });
  }
  if (!existsSync(join(dir, ENTRY))) throw new Error(`--baseline=${ref}: ${short} has no ${ENTRY}`);
  if (!existsSync(join(dir, 'node_modules')))
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { short, dir };
}

/** The earlier Crossgate gateway, one process, with in-flight dedup on or off. */
export function baselineCrossgate(tree: BaselineTree, dedupe: boolean): SystemSpec {
  return gatewaySystem(
    `${dedupe ? 'crossgate-dedup' : 'crossgate-pooled'}@${tree.short}`,
    `Crossgate at ${tree.short}: pooled undici, ${dedupe ? 'in-flight dedup' : 'no dedup'}, 1 worker`,
    join(tree.dir, ENTRY),
    { WORKERS: '1', DEDUPE: dedupe ? '1' : '0' },
  );
}

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const times = (after: number, before: number) => (before > 0 ? `${(after / before).toFixed(2)}×` : 'n/a');

/** Today's one-process rows against the same rows at the baseline commit, per answer size and domain workload. */
export function baselineSection(
  tree: BaselineTree,
  outcomes: readonly { name: string; outcome: StandardOutcome | null }[],
  domain: DomainOutcome | null = null,
): string[] {
  const lines = [
    `### Before and after: today against ${tree.short} (\`--baseline\`)`,
    '',
    `Crossgate's gateway at commit ${tree.short} ran beside today's, alternating in the same rounds on the`,
    'same subgraphs (for the domain workloads each over a region of its own commit); ratios read today over',
    'then. Gateway CPU per request and p99: lower is better;',
    'requests/s: higher is better.',
    '',
    '| workload | variant | CPU ms/req, then | CPU ms/req, today | CPU ratio | req/s ratio | p99 ratio |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  const row = (name: string, variant: string, today: Summary, then: Summary) =>
    `| ${name} | ${variant} | ${f(then.cpuMsPerRequest)} | ${f(today.cpuMsPerRequest)} | ${times(today.cpuMsPerRequest, then.cpuMsPerRequest)} | ${times(today.rps, then.rps)} | ${times(today.p99, then.p99)} |`;
  for (const { name, outcome } of outcomes) {
    if (!outcome) continue;
    for (const id of ['crossgate-pooled', 'crossgate-dedup']) {
      const today = outcome.summaries.find((s) => s.id === id);
      const then = outcome.summaries.find((s) => s.id === `${id}@${tree.short}`);
      if (today && then)
        lines.push(row(name, id === 'crossgate-dedup' ? 'in-flight dedup' : 'no dedup', today, then));
    }
  }
  for (const r of domain?.rows ?? []) {
    if (r.baseline)
      lines.push(row(r.workload, 'regional gateway, each commit over its own region', r.summary, r.baseline));
  }
  return lines;
}
