// The first read of the member list: tried at start, then retried with jittered backoff in the
// background, so that the gateway serves (and says it is not ready) while the registry is down.
import { retryUntilDone } from '../../../common/backoff';
import type { Logger } from '../../../common/logger';
import type { Membership } from './members';

export type FirstLoad =
  | { phase: 'loading'; attempts: number; lastError?: string; nextInMs?: number }
  | { phase: 'loaded'; attempts: number };

export interface FirstLoadOptions {
  initialMs: number;
  maxMs: number;
  random?: () => number;
}

/** Loads the membership; resolves after the first attempt, whatever its outcome. */
export async function loadMembership(
  membership: Membership,
  log: Logger,
  options: FirstLoadOptions,
): Promise<{ state: () => FirstLoad; stop: () => void }> {
  let state: FirstLoad = { phase: 'loading', attempts: 0 };
  let stopped = false;
  const attempt = async () => {
    await membership.refresh();
    const attempts = state.attempts + 1;
    // Logged before the state turns, so whoever sees /readyz answer 200 finds the line written.
    if (attempts > 1) log.info({ attempts }, 'member list loaded; routing to the region');
    state = { phase: 'loaded', attempts };
  };
  const onFailure = (e: Error, attempts: number, nextInMs: number) => {
    state = { phase: 'loading', attempts, lastError: e.message, nextInMs };
    log.warn(
      { err: e.message, attempt: attempts, nextInMs },
      'the registry did not answer the member list; serving what does not need it and retrying',
    );
  };
  try {
    await attempt();
  } catch (e) {
    onFailure(e as Error, 1, 0);
    void retryUntilDone(attempt, {
      ...options,
      stopped: () => stopped,
      onFailure: (err, n, next) => onFailure(err, n + 1, next),
    });
  }
  return {
    state: () => state,
    stop: () => {
      stopped = true;
    },
  };
}
