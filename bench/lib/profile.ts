// Reads the --cpu-prof profiles a benchmark run wrote and names the frames with the most self time.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FrameShare {
  frame: string;
  selfMs: number;
  share: number;
}

const ROOT = join(__dirname, '..', '..');

/** A frame as `function (file:line)`, the file relative to the project or to node_modules. */
function frameName({ functionName, url, lineNumber }: ProfileNode['callFrame']): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  const file =
    inModules >= 0 ? path.slice(inModules + 'node_modules/'.length) : path ? relative(ROOT, path) : '';
  const name = functionName || '(anonymous)';
  return file ? `${name} (${file}:${lineNumber + 1})` : name;
}

/** Self time per frame over every profile in `dir` (all processes of one system), largest first. */
export function topFrames(dir: string, count = 10): FrameShare[] {
  if (!existsSync(dir)) return [];
  const selfUs = new Map<string, number>();
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const names = new Map(profile.nodes.map((n) => [n.id, frameName(n.callFrame)]));
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      const name = names.get(id) ?? '(unknown)';
      if (name === '(idle)') return;
      selfUs.set(name, (selfUs.get(name) ?? 0) + us);
      total += us;
    });
  }
  return [...selfUs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, us]) => ({ frame, selfMs: us / 1000, share: total > 0 ? us / total : 0 }));
}

/** Markdown: one table of top frames per system directory under `root` (one directory per workload). */
export function profileSection(root: string, workloads: readonly string[]): string[] {
  const lines: string[] = ['### CPU profiles (`--profile`)', ''];
  lines.push(
    'Self time of the busiest frames over the whole run of each gateway process (idle excluded), from',
    `Node's \`--cpu-prof\`; the profiles are in \`${relative(ROOT, root)}/\`.`,
    '',
  );
  for (const workload of workloads) {
    const dir = join(root, workload);
    if (!existsSync(dir)) continue;
    for (const system of readdirSync(dir)) {
      const frames = topFrames(join(dir, system));
      if (frames.length === 0) continue;
      lines.push(`#### ${workload}: ${system}`, '', '| frame | self ms | share |', '|---|---:|---:|');
      for (const f of frames)
        lines.push(
          `| \`${f.frame.replace(/\|/g, '\\|')}\` | ${f.selfMs.toFixed(0)} | ${(f.share * 100).toFixed(1)} % |`,
        );
      lines.push('');
    }
  }
  return lines;
}
