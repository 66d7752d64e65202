// A member rotates its own key without a restart: it publishes the next key (signed with the current
// one), waits until every member can find it, signs with it, then retires the old key.
import { request } from 'undici';
import { keysUrlOf, signedPost } from './directory-client';
import type { MemberKeyring } from './member-keys';

export interface RotationOptions {
  keyring: MemberKeyring;
  registryUrl: string;
  /**
   * How long to wait between publishing and signing: at least the interval at which a receiver that
   * meets an unknown key id reads the directory again (1 s by default), so none refuses the new key.
   */
  settleMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Rotation {
  retired: string;
  current: string;
}

async function tellRegistry(options: RotationOptions, change: object): Promise<void> {
  const url = keysUrlOf(options.registryUrl);
  const body = JSON.stringify(change);
  const res = await request(url, {
    method: 'POST',
    headers: signedPost(options.keyring, url, body, (options.now ?? Date.now)()),
    body,
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) {
    throw new Error(`The registry refused the key change (HTTP ${res.statusCode}): ${text.slice(0, 300)}`);
  }
}

/** Publish next, sign with it, retire the old one; a failure before the switch leaves the current key in use. */
export async function rotateMemberKey(options: RotationOptions): Promise<Rotation> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const old = options.keyring.current;
  const next = options.keyring.createNext();
  try {
    await tellRegistry(options, { publish: next.publicJwk });
  } catch (e) {
    options.keyring.retire(next.kid);
    throw e;
  }
  await sleep(options.settleMs);
  options.keyring.activate(next.kid);
  // Signed with the new key: the registry then also knows that the new key works.
  await tellRegistry(options, { retire: old.kid });
  options.keyring.retire(old.kid);
  return { retired: old.kid, current: next.kid };
}
