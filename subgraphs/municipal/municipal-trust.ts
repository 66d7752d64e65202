// What a municipal server needs to decide whom to trust: its own keys, the registry's directory of
// members' keys, the nonces already seen, the identity provider's keys, its own release policies,
// and its audit log.
import type { Authenticator } from '../../common/caller-tokens';
import type { KeyLookup } from '../../common/key-directory';
import type { MemberKeyring } from '../../common/member-keys';
import type { CallVerifier } from '../../common/message-signatures';
import type { NonceCache } from '../../common/nonces';
import type { AuditStore } from './audit/chain';
import type { ReleasePolicy } from './policy/policy';

export interface MunicipalTrust {
  /** This municipality's own key pair (it signs its calls to the registry with it). */
  keyring: MemberKeyring;
  /** The registry's signed directory: which key belongs to whom, and who holds the role "gateway". */
  directory: KeyLookup;
  /** Nonces already spent (shared in Redis by the replicas of one municipality). */
  nonces: NonceCache;
  /** How far a signature's creation time may drift from this server's clock. */
  windowMs: number;
  /**
   * The caller, from the end user's bearer token checked against the identity provider's keys:
   * anonymous without a token, refused with a bad one. The gateway's word is never asked.
   */
  authenticate: Authenticator;
  /** One policy per municipality this server holds records of, as at start. */
  policies: readonly ReleasePolicy[];
  /** The policy in force for a municipality now, when policies are reloaded while serving. */
  policyOf?: (municipality: string) => ReleasePolicy | undefined;
  audit: AuditStore;
  /** Clock for audit timestamps. */
  now?: () => Date;
  /** Clock of signatures (their window, key validity); defaults to the system clock. */
  signatureNow?: () => number;
  /** Replaces the check built from the directory: only a benchmark of the subgraph alone passes one. */
  verifier?: CallVerifier;
}
