// Runs the workload "an employer verifies a presented SD-JWT VC in another municipality" against the
// code-based verification of the same credential, on one gateway process over a PGlite region.
import { auth, startGatewayProcess, startRegionProcess } from '../domain/run';
import type { Started } from '../lib/processes';
import { alternate, type RoundPlan, type Summary } from '../lib/rounds';
import { answerProblem, CODE_WORKLOAD, PRESENTATION_WORKLOAD, presentationBodies } from './workload';

export interface PresentationOutcome {
  presentation: Summary;
  code: Summary;
  /** Status lists the issuers served during the measured windows, per presented verification. */
  statusFetchesPerVerification: number;
  /** Bytes of the presentation posted. */
  presentationBytes: number;
}

async function post(url: string, body: string, headers: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return res.json() as Promise<Parameters<typeof answerProblem>[0]>;
}

const count = async (url: string) => Number(await (await fetch(url)).text());

export async function runPresentation(plan: Omit<RoundPlan, 'countCalls'>): Promise<PresentationOutcome> {
  const started: Started[] = [];
  try {
    const region = await startRegionProcess({ MUNICIPALITIES: '3', STORE: 'native', PRESENTATION: '1' });
    started.push(region.proc);
    const presented = region.info.presented;
    if (!presented) throw new Error('the region announced no presentation');
    const gw = await startGatewayProcess(region);
    started.push(gw.proc);
    const bodies = presentationBodies(presented);
    const headers = auth(region);
    // Both answers are checked before any load: a measured error would be a figure of nothing.
    const problems = [
      answerProblem(await post(gw.url, bodies.presentation, headers), 'verifyPresentation', true),
      answerProblem(await post(gw.url, bodies.code, headers), 'verifyCredential', false),
    ].filter((p) => p !== null);
    if (problems.length > 0) throw new Error(`the workload's answers are wrong: ${problems.join('; ')}`);
    const fetchesUrl = new URL('/status-fetches', region.info.statsUrl).toString();
    const target = { url: gw.url, pid: gw.proc.pid, headers };
    plan.log(`workload: ${PRESENTATION_WORKLOAD}`);
    const [presentation, code] = await alternate(
      [
        { ...target, id: 'presentation', label: PRESENTATION_WORKLOAD, body: bodies.presentation },
        { ...target, id: 'code', label: CODE_WORKLOAD, body: bodies.code },
      ],
      {
        ...plan,
        // Counted around every window; only the presentation's windows can fetch a status list.
        countCalls: () => count(fetchesUrl),
      },
    );
    if (!presentation || !code) throw new Error('no summary');
    const presentedRequests = presentation.rounds.reduce((n, r) => n + r.requests, 0);
    const statusFetches = presentation.rounds.reduce((n, r) => n + (r.calls ?? 0), 0);
    return {
      presentation,
      code,
      statusFetchesPerVerification: statusFetches / Math.max(presentedRequests, 1),
      presentationBytes: Buffer.byteLength(presented.presentation),
    };
  } finally {
    for (const p of started.reverse()) await p.stop();
  }
}
