// PostgreSQL's unique_violation as node-postgres and PGlite report it (possibly wrapped by drizzle),
// and the one further attempt it calls for when a concurrent write of the same key committed first.

/** Whether the error, or an error it wraps, is a unique_violation (SQLSTATE 23505). */
export function isUniqueViolation(e: unknown): boolean {
  for (let cause = e; cause && typeof cause === 'object'; cause = (cause as { cause?: unknown }).cause) {
    if ((cause as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/**
 * Runs `attempt`; when a concurrent write of the same key committed first, runs it once more, and
 * that attempt finds the other's row (a write log entry, say) and answers as it did.
 */
export async function againOnUniqueViolation<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (e) {
    if (isUniqueViolation(e)) return attempt();
    throw e;
  }
}
