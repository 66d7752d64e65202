// Registry answers about reference data (members, occupations, standards, mappings, agreements), kept a while.
import { registryVersionOf } from '../../../schema/registry-version';
import type { GraphQLPayload } from './http-client';

/**
 * Entities whose every field the registry answers from its own reference tables. Entities that
 * carry a municipality's fields in their representation (Credential, Verification: recognition
 * requires the owner's status and dates) are never kept, nor is anything a municipality answers.
 */
export const REFERENCE_ENTITIES: ReadonlySet<string> = new Set([
  'Municipality',
  'Occupation',
  'RegionalStandard',
  'Agreement',
  'Qualification',
]);

/** How long an answer is kept at most, unless configured (REFERENCE_CACHE_TTL_MS). */
export const DEFAULT_REFERENCE_TTL_MS = 60_000;

/** A registry write shows at the gateway within this long, even when nothing else reaches the registry. */
export const REFERENCE_FRESH_MS = 1000;

export interface ReferenceCacheOptions {
  /** How long an answer is kept at most; 0 keeps nothing. */
  ttlMs: number;
  now: () => number;
  /** Answers kept at most; the oldest goes first. */
  maxEntries?: number;
}

/** The planner writes an entity fetch as one `_entities(representations: $representations)` field. */
const ENTITY_FETCH =
  /^\s*query\b[^{]*\{\s*_entities\s*\(\s*representations\s*:\s*\$representations\s*\)\s*\{/;

/** The cache key of a registry fetch that only reads reference entities, or null. */
export function referenceFetchKey(
  query: string,
  variables: Record<string, unknown> | undefined,
): string | null {
  if (!ENTITY_FETCH.test(query) || !variables) return null;
  const names = Object.keys(variables);
  if (names.length !== 1 || names[0] !== 'representations') return null;
  const representations = variables.representations;
  if (!Array.isArray(representations) || representations.length === 0) return null;
  for (const r of representations) {
    const typename = (r as { __typename?: unknown } | null)?.__typename;
    if (typeof typename !== 'string' || !REFERENCE_ENTITIES.has(typename)) return null;
  }
  return `${query}\n${JSON.stringify(representations)}`;
}

/** Kept as text: the gateway merges answers into its result in place, so each use gets its own copy. */
interface Kept {
  text: string;
  until: number;
}

/**
 * Keeps answers while the registry version stays put. Every registry answer states the version:
 * one that moved drops everything kept; and an answer is served only while the version was
 * confirmed by the registry within REFERENCE_FRESH_MS, so a write nobody told us of is seen in time.
 */
export function createReferenceCache(options: ReferenceCacheOptions) {
  const kept = new Map<string, Kept>();
  const maxEntries = options.maxEntries ?? 2000;
  let version: number | null = null;
  let confirmedAt = Number.NEGATIVE_INFINITY;
  let served = 0;
  let dropped = 0;
  return {
    /** A kept answer for `key`, or undefined. */
    lookup(key: string): GraphQLPayload | undefined {
      const at = options.now();
      if (at - confirmedAt > REFERENCE_FRESH_MS) return undefined;
      const found = kept.get(key);
      if (!found) return undefined;
      if (found.until <= at) {
        kept.delete(key);
        return undefined;
      }
      served++;
      return JSON.parse(found.text) as GraphQLPayload;
    },
    /** Notes the version an answer of the registry states (any answer, kept or not). */
    observe(payload: GraphQLPayload): void {
      const stated = registryVersionOf(payload.extensions);
      if (stated === null) return;
      if (stated !== version) {
        if (kept.size > 0) dropped++;
        kept.clear();
        version = stated;
      }
      confirmedAt = options.now();
    },
    /** Keeps an answer without errors that states the current version. */
    keep(key: string, payload: GraphQLPayload): void {
      if (options.ttlMs <= 0 || payload.errors?.length) return;
      if (registryVersionOf(payload.extensions) !== version || version === null) return;
      if (kept.size >= maxEntries) {
        const oldest = kept.keys().next().value;
        if (oldest !== undefined) kept.delete(oldest);
      }
      kept.set(key, { text: JSON.stringify(payload), until: options.now() + options.ttlMs });
    },
    stats() {
      return { entries: kept.size, served, dropped, version };
    },
  };
}

export type ReferenceCache = ReturnType<typeof createReferenceCache>;
