// Publishes each municipality's revocation and suspension lists, read from the register itself: a
// status change is in the list as soon as its register write commits, and a crash leaves nothing to
// reconcile. Signed lists are kept until a lifecycle write or their half-life.
import { signStatusList } from '../../../common/credentials/status-credential';
import { emptyBitstring, type StatusPurpose, setBit } from '../../../common/credentials/status-list';
import type { MunicipalStore } from '../store';
import { type Issuing, issuerUrlOf, statusListUrlOf } from './issuer';

const FLAGGED: Record<StatusPurpose, string> = { revocation: 'REVOKED', suspension: 'SUSPENDED' };

export class StatusListPublisher {
  private readonly signed = new Map<string, { jwt: Promise<string>; at: number }>();
  private generation = 0;

  constructor(
    private readonly store: MunicipalStore,
    private readonly issuing: Issuing,
  ) {}

  /** Drops every signed list: the next request reads the register again. */
  invalidate(): void {
    this.generation++;
    this.signed.clear();
  }

  /** The signed list of `purpose` for `municipality` (application/vc+jwt). */
  list(municipality: string, purpose: StatusPurpose): Promise<string> {
    const key = `${municipality}/${purpose}`;
    const now = this.issuing.now().getTime();
    const kept = this.signed.get(key);
    if (kept && now - kept.at < (this.issuing.statusTtlSeconds * 1000) / 2) return kept.jwt;
    const generation = this.generation;
    const jwt = this.build(municipality, purpose);
    this.signed.set(key, { jwt, at: now });
    jwt.catch(() => this.signed.delete(key));
    // A write that landed while this list was being built leaves it unkept.
    jwt.then(() => generation !== this.generation && this.signed.delete(key));
    return jwt;
  }

  private async build(municipality: string, purpose: StatusPurpose): Promise<string> {
    const positions = await this.issuing.indexes.all(municipality);
    const records = await this.store.credentialsByIds(positions.map((p) => p.credentialId));
    const bits = emptyBitstring();
    positions.forEach((p, i) => {
      const r = records[i];
      if (r && !(r instanceof Error) && r.state === FLAGGED[purpose]) setBit(bits, p.position);
    });
    const issuerUrl = issuerUrlOf(this.issuing.publicBaseUrl(), municipality);
    return signStatusList(
      {
        issuerUrl,
        url: statusListUrlOf(issuerUrl, purpose),
        purpose,
        bits,
        ttlSeconds: this.issuing.statusTtlSeconds,
        now: this.issuing.now(),
      },
      this.issuing.keyring.current,
    );
  }
}

/** The store, with every lifecycle write dropping the signed lists once it has committed. */
export function invalidatingLists(store: MunicipalStore, lists: StatusListPublisher): MunicipalStore {
  return {
    ...store,
    async changeCredentialState(id, action, log) {
      try {
        return await store.changeCredentialState(id, action, log);
      } finally {
        lists.invalidate();
      }
    },
  };
}
