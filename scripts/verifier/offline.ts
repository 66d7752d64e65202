// Offline verification of a presented credential: the registry's signed directory (the issuers' member
// keys) and the issuers' status lists saved from a gateway into a folder, then used without a
// network, with their age reported.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JWK } from 'jose';
import { request } from 'undici';
import { readStatusList } from '../../common/credentials/status-credential';
import { STATUS_PURPOSES } from '../../common/credentials/status-list';
import { verifyPresented } from '../../common/credentials/verify-presented';
import type { DirectoryDocument } from '../../common/key-directory';
import { openSavedDirectory } from './attestation';

export const DEFAULT_DIR = resolve(__dirname, '..', '..', '.data', 'verifier');

export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function fetchText(url: string): Promise<string> {
  const res = await request(url);
  const body = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
  return body;
}

/** The file of the registry's signed directory in a saved folder (the one verify-attestation reads too). */
export const DIRECTORY_FILE = 'directory.jws';

/**
 * Saves the registry's signed directory (checked before it is kept) and every listed issuer's status
 * lists, with the time they were saved.
 */
export async function saveIssuers(gateway: string, codes: readonly string[], dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const directory = await fetchText(`${gateway}/directory`);
  await openSavedDirectory(directory);
  writeFileSync(join(dir, DIRECTORY_FILE), directory);
  for (const code of codes) {
    mkdirSync(join(dir, code), { recursive: true });
    for (const purpose of STATUS_PURPOSES) {
      const list = await fetchText(`${gateway}/issuers/${code}/status/${purpose}`);
      writeFileSync(join(dir, code, `status-${purpose}.jwt`), list);
    }
  }
  writeFileSync(
    join(dir, 'saved.json'),
    JSON.stringify({ gateway, codes, savedAt: new Date().toISOString() }),
  );
}

const age = (since: string, now: Date) => {
  const minutes = Math.round((now.getTime() - Date.parse(since)) / 60_000);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
};

/** The keys a directory lists for a municipality as a member; null when it lists none. */
function memberKeysOf(directory: DirectoryDocument, code: string): JWK[] | null {
  const keys = directory.keys
    .filter((k) => k.member === code && k.role === 'municipality')
    .map((k) => k.jwk as JWK);
  return keys.length > 0 ? keys : null;
}

/**
 * The verification from the saved folder, and what was used with its age. The issuers' keys are
 * those the saved directory lists, checked against `registryKeys` when given (else against the
 * registry keys the directory lists itself).
 */
export async function verifyOffline(
  presentation: string,
  destination: string,
  dir: string,
  now: Date,
  registryKeys?: readonly JWK[],
) {
  const saved = JSON.parse(readFileSync(join(dir, 'saved.json'), 'utf8')) as { savedAt: string };
  const directory = await openSavedDirectory(readFileSync(join(dir, DIRECTORY_FILE), 'utf8'), registryKeys);
  const keysOf = (code: string) => memberKeysOf(directory, code);
  const lists: string[] = [];
  const check = await verifyPresented(presentation, {
    today: now.toISOString().slice(0, 10),
    issuerKeys: async (code) => (/^[A-Z]{2,8}$/.test(code) ? keysOf(code) : null),
    statusBits: async (code, url, purpose) => {
      const jwt = readFileSync(join(dir, code, `status-${purpose}.jwt`), 'utf8').trim();
      const list = await readStatusList(jwt, keysOf(code) ?? []);
      if (!url.endsWith(`/issuers/${code}/status/${purpose}`)) throw new Error('another list');
      const stale = Date.parse(list.validUntil) < now.getTime() ? ' (past its validUntil: fetch again)' : '';
      lists.push(`${code} ${purpose} list signed ${age(list.validFrom, now)} ago${stale}`);
      return list.bits;
    },
  });
  return {
    destination,
    valid: check.valid,
    failure: check.valid ? null : check.failure,
    status: check.status,
    credential: check.facts,
    evidence: { directorySaved: `${age(saved.savedAt, now)} ago`, statusLists: lists },
    recognition: 'not checked offline: the recognition needs the registry (verifyPresentation online)',
  };
}
