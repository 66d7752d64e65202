// Retrying a dependency that is not up yet: exponential backoff with full jitter, without end.

export interface BackoffOptions {
  /** First delay bound in milliseconds. */
  initialMs: number;
  /** Largest delay bound. */
  maxMs: number;
  /** Random source in [0, 1); injected so tests are deterministic. */
  random?: () => number;
}

/** The delay before attempt `attempt` (1-based): uniform in [0, min(max, initial * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const bound = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * bound);
}

/**
 * Calls `attempt` until it succeeds or `stopped()` says to give up, waiting a jittered,
 * growing delay between failures; `onFailure` hears each failure and the wait before the next.
 */
export async function retryUntilDone(
  attempt: () => Promise<void>,
  options: BackoffOptions & {
    stopped: () => boolean;
    onFailure: (error: Error, attempt: number, nextInMs: number) => void;
  },
): Promise<boolean> {
  for (let n = 1; !options.stopped(); n++) {
    try {
      await attempt();
      return true;
    } catch (e) {
      const wait = Math.max(50, backoffDelay(n, options));
      options.onFailure(e as Error, n, wait);
      await new Promise((r) => setTimeout(r, wait).unref());
    }
  }
  return false;
}
