// RELIABILITY.md from a soak's summary: the command and machine, the fault events with their
// times, each phase's requests, coded errors, latencies and gateway RSS, and the end checks.
import { cpus, release, totalmem } from 'node:os';
import { quantile } from './record';
import type { SoakSummary } from './run';

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

export function describeSoakMachine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus().length} × ${model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}, Node ${process.version}; shared with other work while it ran`;
}

/** The verdicts the soak holds itself to, each with whether it held. */
export function soakVerdicts(s: SoakSummary): { what: string; held: boolean }[] {
  return [
    {
      what: `writes acknowledged (${s.writes.acknowledged}) = writes found once in the registers (${s.writes.found})`,
      held: s.writes.acknowledged === s.writes.found,
    },
    {
      what: `no write applied twice (${s.writes.duplicated.length} duplicated keys)`,
      held: s.writes.duplicated.length === 0,
    },
    {
      what: `writes retried after a timeout or lost answer: ${s.writes.retriedAfterTimeout}; retried writes applied exactly once: ${s.writes.retriedAppliedOnce} of ${s.writes.retried}`,
      held: s.writes.retriedAppliedOnce === s.writes.retried,
    },
    {
      what: `writes with an unknown outcome at the end: ${s.writes.unresolved}`,
      held: s.writes.unresolved === 0,
    },
    {
      what: `reads failed without a code naming the municipality: ${s.uncodedReads}`,
      held: s.uncodedReads === 0,
    },
    {
      what: `audit chains valid: ${s.audits.filter((a) => a.valid).length} of ${s.audits.length}`,
      held: s.audits.length > 0 && s.audits.every((a) => a.valid),
    },
    {
      what: `gateway RSS growth after warm-up: ${(s.rss.growth * 100).toFixed(1)} % (${mb(s.rss.baselineBytes)} → ${mb(s.rss.endBytes)})`,
      held: s.rss.growth <= 0.1,
    },
  ];
}

export function soakReport(s: SoakSummary, command: string): string {
  const t0 = s.recorder.phases[0]?.startedAt ?? 0;
  const sec = (at: number) => `${((at - t0) / 1000).toFixed(0)} s`;
  const rows = s.recorder.phases.map((p) => {
    const errors =
      [...p.errors]
        .sort()
        .map(([k, n]) => `${k} ×${n}`)
        .join('; ') || '—';
    return `| ${p.name} | ${sec(p.startedAt)} | ${p.requests} | ${quantile(p.latenciesMs, 0.5).toFixed(0)} | ${quantile(p.latenciesMs, 0.99).toFixed(0)} | ${errors} | ${p.uncodedReads} | ${p.rssBytes.length ? mb(quantile(p.rssBytes, 0.5)) : '—'} |`;
  });
  const events = s.recorder.phases.flatMap((p) =>
    p.events.map((e) => `- ${sec(e.at)} (${new Date(e.at).toISOString()}): ${e.what}`),
  );
  const examples = s.recorder.phases.flatMap((p) => p.uncodedExamples.map((x) => `- ${p.name}: \`${x}\``));
  return `# Reliability

What a soak with faults on a schedule measured. Regenerate with the command below; the
3-minute loopback run is part of \`npm test\` (\`tests/reliability/soak.test.ts\`) with the same checks.

## Run

- Command: \`${command}\`
- Region: ${s.options.members} municipalities (each its own process and ${s.options.databases === 'server' ? 'a database of its own on a PostgreSQL server' : 'PGlite database'}, behind a fault proxy), the registry${s.options.databases === 'server' ? ' (its database on the same server)' : ''}, ${s.options.replicas} gateway replicas${s.options.hosts ? ', each in a network namespace of its own with its own address on a bridge' : ', all on loopback'}; Redis: ${s.redis === 'restarted' ? 'a private redis-server, restarted by the schedule' : 'redis-server not installed, its restart not run'}.
- Traffic: ${s.options.readers} readers${s.options.readerPauseMs > 0 ? `, each pausing ${s.options.readerPauseMs} ms after every read` : ''} (verifications, region-wide lists, page walks of up to 4 pages, workforce flows) and one officer writing placements with idempotency keys, each write sent again with its key until answered.
- Machine: ${describeSoakMachine()}.
- Region start-up: ${s.startupSeconds.toFixed(0)} s. Latencies are end to end at the caller, in ms. RSS is gateway replica 0's (never restarted), sampled every 2 s (ten times a phase when phases are shorter than 20 s).

## Verdicts

${soakVerdicts(s)
  .map((v) => `- ${v.held ? 'held' : 'FAILED'}: ${v.what}`)
  .join('\n')}

## Phases

| phase | from | requests | p50 ms | p99 ms | coded errors (code, municipality ×count) | uncoded reads | gateway RSS |
|---|---:|---:|---:|---:|---|---:|---:|
${rows.join('\n')}

## Fault events

${events.join('\n') || '- none'}

## Writes

| sent | acknowledged | found once | duplicated | retried | retried after timeout | retried, applied once | refused | unresolved |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| ${s.writes.sent} | ${s.writes.acknowledged} | ${s.writes.found} | ${s.writes.duplicated.length} | ${s.writes.retried} | ${s.writes.retriedAfterTimeout} | ${s.writes.retriedAppliedOnce} | ${s.writes.refused} | ${s.writes.unresolved} |

## Audit chains (verify-audit, after the members stopped)

${s.audits.map((a) => `- ${a.municipality}: ${a.valid ? 'valid' : 'BROKEN'} — ${a.verdict}`).join('\n')}

## RSS

Baseline: the median of gateway replica 0's samples in the second phase (after a full warm-up
phase); end: the median in the last phase; peak ${mb(s.rss.peakBytes)}.
${examples.length ? `\n## Reads failed without a code naming a municipality (examples)\n\n${examples.join('\n')}\n` : ''}`;
}
