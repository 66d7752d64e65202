// How a member reads the registry's directory: a call signed with its own key, an answer checked against the
// registry's keys (those it was configured with, and those a checked directory lists for the registry).
import type { KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { request } from 'undici';
import { type DirectoryDocument, KeyDirectory, openDirectory } from './key-directory';
import type { MemberKeyring } from './member-keys';
import { publicKeyOf } from './member-keys';
import { signCall } from './message-signatures';

/** The registry's directory address, beside its GraphQL endpoint. */
export const directoryUrlOf = (registryUrl: string) => new URL('/directory', registryUrl).toString();
/** Where a member publishes its next key and retires its old one. */
export const keysUrlOf = (registryUrl: string) => new URL('/keys', registryUrl).toString();

/** Signs a POST from this member to another: it speaks for the member alone, so it carries no user's token. */
export function signedPost(
  keyring: MemberKeyring,
  url: string,
  body: string,
  now: number,
  headers: Record<string, string> = {},
): Record<string, string> {
  return signCall(
    keyring.current,
    {
      method: 'POST',
      url,
      body,
      headers: { 'content-type': 'application/json', ...headers },
    },
    now,
  );
}

export interface RegistryDirectoryOptions {
  registryUrl: () => string | undefined;
  keyring: MemberKeyring;
  /** The registry's public keys this member was configured with: the anchor of its trust. */
  registryKeys: readonly JWK[];
  ttlMs: number;
  /** While the registry cannot be read, how old the last copy may grow and still serve. */
  staleMs?: number;
  now?: () => number;
  timeoutMs?: number;
}

/** A member's cached copy of the registry's directory, read over a signed call and checked before use. */
export function registryDirectory(options: RegistryDirectoryOptions): KeyDirectory {
  const now = options.now ?? Date.now;
  const anchors = new Map<string, KeyObject>();
  for (const jwk of options.registryKeys) {
    const key = publicKeyOf(jwk);
    if (jwk.kid && key) anchors.set(jwk.kid, key);
  }
  if (anchors.size === 0) throw new Error('A member needs at least one Ed25519 public key of the registry');
  let directory: KeyDirectory;
  const load = async (): Promise<DirectoryDocument> => {
    const registryUrl = options.registryUrl();
    if (!registryUrl) throw new Error('no registry is configured');
    const url = directoryUrlOf(registryUrl);
    const res = await request(url, {
      method: 'POST',
      headers: signedPost(options.keyring, url, '', now()),
      body: '',
      headersTimeout: options.timeoutMs ?? 5000,
      bodyTimeout: options.timeoutMs ?? 5000,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200)
      throw new Error(`the registry answered HTTP ${res.statusCode} for its directory`);
    // The registry's keys as the last checked directory lists them: a rotated registry key is followed.
    const listed = new Map(directory.keysOfRole('registry').map((k) => [k.kid, k.publicKey]));
    return openDirectory(text, (kid) => anchors.get(kid) ?? listed.get(kid) ?? null);
  };
  directory = new KeyDirectory({ load, ttlMs: options.ttlMs, staleMs: options.staleMs, now });
  return directory;
}
