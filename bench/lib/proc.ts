// Samples a process tree's CPU time and resident memory from /proc (Linux), for the gateway under test.
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // the process ended
  }
  return out;
}

export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i] as number));
  return all;
}

/** CPU milliseconds (user + system) and RSS bytes of one process; zeros when it is gone. */
export function readProcess(pid: number): { cpuMs: number; rssBytes: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is the state (field 3); utime and stime are fields 14 and 15
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuMs, rssBytes: rssKb * 1024 };
  } catch {
    return { cpuMs: 0, rssBytes: 0 };
  }
}

export function readTree(pid: number): { cpuMs: number; rssBytes: number } {
  let cpuMs = 0;
  let rssBytes = 0;
  for (const p of processTree(pid)) {
    const r = readProcess(p);
    cpuMs += r.cpuMs;
    rssBytes += r.rssBytes;
  }
  return { cpuMs, rssBytes };
}

/** Samples a process tree until stopped: CPU used over the window and the peak RSS seen. */
export function sampleTree(pid: number, everyMs = 200) {
  const first = readTree(pid);
  let peakRss = first.rssBytes;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, readTree(pid).rssBytes);
  }, everyMs);
  return {
    stop(): { cpuMs: number; peakRssBytes: number } {
      clearInterval(timer);
      const last = readTree(pid);
      return { cpuMs: last.cpuMs - first.cpuMs, peakRssBytes: Math.max(peakRss, last.rssBytes) };
    },
  };
}
