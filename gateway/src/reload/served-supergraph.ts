// The supergraph the gateway serves: checked before anything else starts, the field requirements
// read from it (and re-read on each reload), and its sources followed once the server runs.
import { readFileSync } from 'node:fs';
import type { Logger } from '../../../common/logger';
import type { ProcessMetrics } from '../../../common/metrics';
import { ReloadJournal, type WatchedFile } from '../../../common/reload';
import { MUNICIPAL_SUBGRAPHS, readSupergraph, subgraphSdl } from '../../../schema/contract';
import { type Requirements, requirementsFromSupergraph } from '../auth/authorize';
import type { GatewayConfig } from '../config';
import { checkMergeRules } from '../fanout/rules';
import { OperationsInUse } from './operations-in-use';
import { buildSupergraph } from './supergraph-check';
import { followSupergraphSources, SupergraphReload } from './supergraph-reload';

/** How often a configured supergraph file or URL is looked at, unless configured. */
export const DEFAULT_SUPERGRAPH_POLL_MS = 2000;

export interface ServedSupergraph {
  reload: SupergraphReload;
  journal: ReloadJournal;
  operationsInUse: OperationsInUse;
  /** The scopes each field asks for, from the supergraph served now. */
  requirements: () => Requirements;
}

/**
 * Checks every merge rule and the supergraph to serve (the given text, the configured file or the
 * composed one); one that cannot be served throws, so the start stops before anything else runs.
 */
export function loadServedSupergraph(
  config: GatewayConfig,
  sdl: string | undefined,
  log: Logger,
  metrics: ProcessMetrics,
): ServedSupergraph {
  for (const name of MUNICIPAL_SUBGRAPHS) checkMergeRules(name, subgraphSdl(name));
  const supergraphSdl =
    sdl ?? (config.supergraphFile ? readFileSync(config.supergraphFile, 'utf8') : readSupergraph());
  const initial = buildSupergraph(supergraphSdl);
  if (!initial.ok) throw new Error(`The supergraph cannot be served: ${initial.problems.join('; ')}`);
  const journal = new ReloadJournal(log.child({ component: 'reload' }), metrics);
  const operationsInUse = new OperationsInUse();
  const reload = new SupergraphReload(initial.built, operationsInUse, journal);
  let requirements = requirementsFromSupergraph(supergraphSdl);
  reload.onApplied((built) => {
    requirements = requirementsFromSupergraph(built.sdl);
  });
  return { reload, journal, operationsInUse, requirements: () => requirements };
}

/** Follows the configured supergraph file and URL, offering each new text to the reload. */
export function followConfiguredSources(
  served: ServedSupergraph,
  config: GatewayConfig,
  log: Logger,
): WatchedFile {
  return followSupergraphSources(served.reload, {
    file: config.supergraphFile,
    url: config.supergraphUrl,
    pollMs: config.supergraphPollMs ?? DEFAULT_SUPERGRAPH_POLL_MS,
    log: log.child({ component: 'reload' }),
  });
}
