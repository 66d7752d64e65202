// The answer extension in which the registry states the version of its reference data.
/**
 * Every registry answer carries `extensions[REGISTRY_VERSION_EXTENSION]`: a number that grows with
 * each change to members, occupations, standards, mappings or agreements. A reader holding copies
 * of that data drops them when it sees the number move.
 */
export const REGISTRY_VERSION_EXTENSION = 'registryVersion';

/** The version an answer states, or null when it states none. */
export function registryVersionOf(extensions: unknown): number | null {
  if (!extensions || typeof extensions !== 'object') return null;
  const v = (extensions as Record<string, unknown>)[REGISTRY_VERSION_EXTENSION];
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}
