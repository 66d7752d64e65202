// The issuers' status lists as the gateway holds them: verified against the issuer's key, kept while
// fresh (the list's max-age, never past its validUntil), dropped when a lifecycle write passes.
import { readStatusList } from '../../../common/credentials/status-credential';
import type { StatusPurpose } from '../../../common/credentials/status-list';
import type { IssuerDocumentFetch } from './issuer-documents';
import type { IssuerKeys } from './issuer-keys';

export interface StatusListCache {
  /** The verified bits of the list; throws when it cannot be fetched or does not verify. */
  bits(municipality: string, url: string, purpose: StatusPurpose): Promise<Uint8Array>;
  /** Forgets every list, e.g. after a suspension, reinstatement or revocation went through. */
  invalidate(): void;
  /** How many lists were fetched from members since start. */
  readonly fetches: number;
}

export function statusListCache(
  fetch: IssuerDocumentFetch,
  keys: IssuerKeys,
  now: () => number,
  defaultMaxAgeSeconds = 30,
): StatusListCache {
  const kept = new Map<string, { bits: Promise<Uint8Array>; until: number }>();
  let fetches = 0;
  const load = async (municipality: string, url: string, purpose: StatusPurpose) => {
    if (!url.endsWith(`/issuers/${municipality}/status/${purpose}`)) {
      throw new Error(`status list ${url} is not ${municipality}'s ${purpose} list`);
    }
    fetches++;
    const doc = await fetch(municipality, `status/${purpose}`);
    if (doc?.status !== 200) throw new Error(`no ${purpose} list from ${municipality}`);
    const issuerKeys = await keys.keysOf(municipality);
    if (!issuerKeys) throw new Error(`no keys for ${municipality}`);
    const list = await readStatusList(doc.body.trim(), issuerKeys);
    if (list.purpose !== purpose) throw new Error('status list of another purpose');
    const maxAge = (doc.maxAgeSeconds ?? defaultMaxAgeSeconds) * 1000;
    return { bits: list.bits, until: Math.min(now() + maxAge, Date.parse(list.validUntil)) };
  };
  return {
    bits(municipality, url, purpose) {
      const key = `${municipality} ${purpose}`;
      const hit = kept.get(key);
      if (hit && hit.until > now()) return hit.bits;
      const loaded = load(municipality, url, purpose);
      const entry = { bits: loaded.then((l) => l.bits), until: Number.POSITIVE_INFINITY };
      kept.set(key, entry);
      loaded.then(
        (l) => {
          entry.until = l.until;
        },
        () => kept.get(key) === entry && kept.delete(key),
      );
      return entry.bits;
    },
    invalidate() {
      kept.clear();
    },
    get fetches() {
      return fetches;
    },
  };
}
