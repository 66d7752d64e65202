// What a municipal server needs to decide whom to trust: the gateway's signature, its own
// release policies, and its audit log.
import type { RequestVerifier } from '../../common/signature';
import type { AuditStore } from './audit/chain';
import type { ReleasePolicy } from './policy/policy';

export interface MunicipalTrust {
  /** Verifies that a request was signed by this deployment's gateway. */
  verify: RequestVerifier;
  /** One policy per municipality this server holds records of. */
  policies: readonly ReleasePolicy[];
  audit: AuditStore;
  /** Clock for audit timestamps. */
  now?: () => Date;
}
