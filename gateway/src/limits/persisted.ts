// Persisted operations: a manifest of allowed operations by SHA-256 hash. Public callers
// (anonymous, employers) may run only those; a hash-only request gets its text from the manifest.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Caller } from '../../../schema/caller';

export type PersistedMode = 'off' | 'public' | 'everyone';

const ManifestSchema = z.object({
  format: z.literal('crossgate-persisted-operations'),
  version: z.literal(1),
  operations: z.array(
    z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), name: z.string(), body: z.string() }),
  ),
});

export type Manifest = ReadonlyMap<string, string>;

export const operationHash = (text: string) => createHash('sha256').update(text).digest('hex');

export function readManifest(path: string): Manifest {
  const parsed = ManifestSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const out = new Map<string, string>();
  for (const op of parsed.operations) {
    if (operationHash(op.body) !== op.id)
      throw new Error(`Manifest ${path}: operation ${op.name} has a wrong id`);
    out.set(op.id, op.body);
  }
  return out;
}

export type PersistedOutcome = { ok: true; body: unknown } | { ok: false; message: string };

const PUBLIC_ROLES: ReadonlySet<Caller['role']> = new Set(['anonymous', 'employer']);

/** The request body to run, with the manifest's text filled in, or why it may not run. */
export function applyPersisted(
  mode: PersistedMode,
  manifest: Manifest,
  caller: Caller,
  body: unknown,
): PersistedOutcome {
  if (mode === 'off' || typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: true, body };
  const request = body as { query?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
  const hash = request.extensions?.persistedQuery?.sha256Hash;
  const restricted = mode === 'everyone' || PUBLIC_ROLES.has(caller.role);
  if (typeof hash === 'string') {
    const text = manifest.get(hash);
    if (text === undefined)
      return { ok: false, message: `No persisted operation has the hash ${hash.slice(0, 64)}` };
    if (typeof request.query === 'string' && operationHash(request.query) !== hash) {
      return { ok: false, message: 'The query text does not match its persisted hash' };
    }
    const { extensions: _dropped, ...rest } = request;
    return { ok: true, body: { ...rest, query: text } };
  }
  if (!restricted) return { ok: true, body };
  if (typeof request.query === 'string' && manifest.has(operationHash(request.query)))
    return { ok: true, body };
  return {
    ok: false,
    message:
      'This caller may run only persisted operations: send extensions.persistedQuery.sha256Hash from the manifest',
  };
}
