// Offline verification of a presented credential: issuers' keys and status lists saved from a
// gateway into a folder, then used without a network, with their age reported.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JWK } from 'jose';
import { request } from 'undici';
import { readStatusList } from '../../common/credentials/status-credential';
import { STATUS_PURPOSES } from '../../common/credentials/status-list';
import { verifyPresented } from '../../common/credentials/verify-presented';

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

/** Saves every listed issuer's JWKS and status lists, with the time they were saved. */
export async function saveIssuers(gateway: string, codes: readonly string[], dir: string): Promise<void> {
  for (const code of codes) {
    mkdirSync(join(dir, code), { recursive: true });
    writeFileSync(join(dir, code, 'jwks.json'), await fetchText(`${gateway}/issuers/${code}/jwks`));
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

/** The verification from the saved folder, and what was used with its age. */
export async function verifyOffline(presentation: string, destination: string, dir: string, now: Date) {
  const saved = JSON.parse(readFileSync(join(dir, 'saved.json'), 'utf8')) as { savedAt: string };
  const keysOf = (code: string): JWK[] | null => {
    try {
      return (JSON.parse(readFileSync(join(dir, code, 'jwks.json'), 'utf8')) as { keys: JWK[] }).keys;
    } catch {
      return null;
    }
  };
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
