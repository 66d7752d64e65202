// What a municipal server needs to decide whom to trust: the gateway's signature, its own
// release policies, and its audit log.
import type { RequestVerifier } from '../../common/signature';
import type { AuditStore } from './audit/chain';
import type { ReleasePolicy } from './policy/policy';

export interface MunicipalTrust {
  /** Verifies that a request was signed by this deployment's gateway. */
  verify: RequestVerifier;
  /** One policy per municipality this server holds records of, as at start. */
  policies: readonly ReleasePolicy[];
  /** The policy in force for a municipality now, when policies are reloaded while serving. */
  policyOf?: (municipality: string) => ReleasePolicy | undefined;
  audit: AuditStore;
  /** Clock for audit timestamps. */
  now?: () => Date;
}
