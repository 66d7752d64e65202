// The owner's audit checkpoints: at an interval it signs its chain's entry count and head hash with its
// own key, has the registry witness them, checks the countersignature and keeps it beside the chain.
import { request } from 'undici';
import {
  openWitnessed,
  type PublicKeyOf,
  signCheckpoint,
  type WitnessedCheckpoint,
} from '../../../common/audit-checkpoint';
import { signedPost } from '../../../common/directory-client';
import type { Logger } from '../../../common/logger';
import type { MemberKeyring } from '../../../common/member-keys';
import { type AuditStore, GENESIS_HASH } from './chain';

export interface CheckpointOptions {
  audit: AuditStore;
  keyring: MemberKeyring;
  /** The registry's GraphQL endpoint; its /checkpoints route witnesses. */
  registryUrl: () => string | undefined;
  /** The municipalities whose accesses the chain holds. */
  members: readonly string[];
  /** The registry's key (and the owner's own), from the signed directory. */
  keyOf: PublicKeyOf;
  /** How often a checkpoint is made (when the chain grew); 0 makes one only when asked. */
  intervalMs: number;
  now: () => number;
  log: Logger;
  timeoutMs?: number;
}

export interface Checkpointer {
  /** Makes a checkpoint of the chain as it stands now, witnessed by the registry; null when there is nothing to do. */
  checkpoint(): Promise<WitnessedCheckpoint | null>;
  start(): void;
  stop(): void;
}

export function createCheckpointer(options: CheckpointOptions): Checkpointer {
  const { audit } = options;
  let lastEntries = -1;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<WitnessedCheckpoint | null> | undefined;

  async function witnessNow(): Promise<WitnessedCheckpoint | null> {
    const registryUrl = options.registryUrl();
    if (!registryUrl || !audit.head || !audit.keepWitnessed) return null;
    const head = await audit.head();
    const entries = head?.seq ?? 0;
    if (entries === lastEntries) return null;
    const claim = {
      members: [...options.members],
      entries,
      headHash: head?.hash ?? GENESIS_HASH,
      at: new Date(options.now()).toISOString(),
    };
    const checkpoint = await signCheckpoint(options.keyring.current, claim);
    const url = new URL('/checkpoints', registryUrl).toString();
    const body = JSON.stringify({ checkpoint });
    const timeoutMs = options.timeoutMs ?? 10_000;
    const res = await request(url, {
      method: 'POST',
      headers: signedPost(options.keyring, url, body, options.now()),
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200)
      throw new Error(
        `the registry did not witness the checkpoint (HTTP ${res.statusCode}): ${text.slice(0, 300)}`,
      );
    const { witness } = JSON.parse(text) as { witness: string };
    // Kept only once it is the registry's countersignature over this very checkpoint.
    const witnessed = await openWitnessed(witness, options.keyOf);
    if (witnessed.claim.entries !== claim.entries || witnessed.claim.headHash !== claim.headHash)
      throw new Error('the registry countersigned another checkpoint than the one sent');
    await audit.keepWitnessed({ entries, headHash: claim.headHash, witness });
    lastEntries = entries;
    return witnessed;
  }

  const checkpoint = () => {
    running ??= witnessNow().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    checkpoint,
    start() {
      if (options.intervalMs <= 0 || timer) return;
      timer = setInterval(() => {
        checkpoint().catch((e) =>
          options.log.warn(
            { err: (e as Error).message },
            'audit checkpoint not witnessed; retrying at the next interval',
          ),
        );
      }, options.intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
