// The soak's end checks: every acknowledged write found once in its municipality's register (by
// the employer name carrying its key), and every member's audit chain verified with verify-audit.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { CODES } from '../../schema/errors';
import type { SoakWorkload } from './workload';

export interface WriteCheck {
  sent: number;
  acknowledged: number;
  /** Acknowledged writes found exactly once in the registers. */
  found: number;
  /** Keys found more than once (a write applied twice). */
  duplicated: string[];
  /** Keys found but never acknowledged (applied while the caller never learnt it). */
  unacknowledgedFound: string[];
  /** Writes sent more than once with the same key. */
  retried: number;
  /** Of those, the ones whose first attempt timed out (or whose connection was lost). */
  retriedAfterTimeout: number;
  /** Retried writes found exactly once. */
  retriedAppliedOnce: number;
  /** Writes refused for what they said (not retried). */
  refused: number;
  /** Writes whose outcome was still unknown at the end. */
  unresolved: number;
}

const PLACEMENTS = `query Own($m: [ID!], $after: String) { placements(first: 100, after: $after, municipalities: $m) {
  edges { node { id employer } } pageInfo { hasNextPage endCursor missingMunicipalities } } }`;

interface PlacementPage {
  edges: { node: { employer: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string; missingMunicipalities: string[] };
}

const PAGE_ATTEMPTS = 10;

/** One page of a municipality's placements, asked again (2 s apart) while the answer is incomplete. */
async function readPage(workload: SoakWorkload, code: string, after: string | null, token: string) {
  let last = '';
  for (let attempt = 0; attempt < PAGE_ATTEMPTS; attempt++) {
    const answer = await workload.send(PLACEMENTS, { m: [code], after }, token);
    const page = answer.data?.placements as PlacementPage | undefined;
    if (page && !answer.errors.length && page.pageInfo.missingMunicipalities.length === 0) return page;
    last = JSON.stringify(answer).slice(0, 300);
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(
    `the register of ${code} could not be read in ${PAGE_ATTEMPTS} attempts; last answer: ${last}`,
  );
}

/** Walks each municipality's placements through the gateway, as its own officer, and counts the soak's keys. */
export async function checkWrites(
  workload: SoakWorkload,
  tokenOf: (municipality: string) => string,
  runId: string,
): Promise<WriteCheck> {
  const writes = [...workload.ledger.writes.values()];
  const seen = new Map<string, number>();
  const prefix = `Soak employer soak-${runId}-`;
  const codes = [...new Set(writes.map((w) => w.municipality))];
  for (const code of codes) {
    let after: string | null = null;
    for (;;) {
      const page = await readPage(workload, code, after, tokenOf(code));
      for (const { node } of page.edges) {
        if (node.employer.startsWith(prefix)) {
          const key = node.employer.slice('Soak employer '.length);
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
      }
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
  }
  const acknowledged = writes.filter((w) => w.placementId && !w.placementId.startsWith('refused:'));
  const retried = writes.filter((w) => w.attempts > 1);
  return {
    sent: writes.length,
    acknowledged: acknowledged.length,
    found: acknowledged.filter((w) => seen.get(w.key) === 1).length,
    duplicated: [...seen].filter(([, n]) => n > 1).map(([key]) => key),
    unacknowledgedFound: [...seen.keys()].filter((key) => !acknowledged.some((w) => w.key === key)),
    retried: retried.length,
    retriedAfterTimeout: retried.filter((w) =>
      [CODES.MUNICIPALITY_TIMEOUT, 'TRANSPORT'].includes(w.failures[0] ?? ''),
    ).length,
    retriedAppliedOnce: retried.filter((w) => seen.get(w.key) === 1).length,
    refused: writes.filter((w) => w.placementId?.startsWith('refused:')).length,
    unresolved: workload.unresolved().length,
  };
}

export interface AuditCheck {
  municipality: string;
  valid: boolean;
  /** What verify-audit printed. */
  verdict: string;
}

/** Runs `npm run verify-audit`'s script over each stopped member's database. */
export function checkAuditChains(members: readonly { code: string; database: string }[]): AuditCheck[] {
  const script = join(resolve(__dirname, '..'), 'verify-audit.ts');
  return members.map(({ code, database }) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, database], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    return {
      municipality: code,
      valid: run.status === 0,
      verdict: `${run.stdout}${run.stderr}`.trim().split('\n')[0] ?? `exit ${run.status}`,
    };
  });
}
