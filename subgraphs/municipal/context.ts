// What every municipal resolver receives.

import type { AttestedCheck } from '../../common/credentials/attestation';
import type { Logger } from '../../common/logger';
import type { Caller } from '../../schema/caller';
import type { AlertInbox } from './alerts/receiver';
import type { AuditStore } from './audit/chain';
import type { Issuing } from './issuing/issuer';
import type { Loaders } from './loaders';
import type { AccessLog } from './policy/guard';
import type { PartnerView } from './policy/partners';
import type { MunicipalStore } from './store';

export interface MunicipalContext {
  store: MunicipalStore;
  /** The identity the gateway forwarded (verified by the subgraph before use). */
  caller: Caller;
  requestId: string;
  loaders: Loaders;
  /** Today's date (YYYY-MM-DD) for derived states such as EXPIRED. */
  today: string;
  /** The clock of writes (history timestamps). */
  now: () => Date;
  log: Logger;
  /** Records that exist but could not be mapped; reported as errors beside the data. */
  recordErrors: Error[];
  /** What this request read or was refused, for the audit log. */
  access: AccessLog;
  /** Partners of each owner as first seen by this request (see policy/guard.ts). */
  partnerViews: Map<string, PartnerView | Promise<PartnerView>>;
  audit: AuditStore;
  /** The member's keys and status lists for credential documents; absent where no issuer URL is configured. */
  issuing?: Issuing;
  /** Signs a verification's statement with this member's own key, dated by the signature clock. */
  attest: (check: Omit<AttestedCheck, 'checkedAt'>) => Promise<string>;
  /** Alerts received from issuers of credentials this municipality used; absent where alerts are off. */
  alerts?: AlertInbox;
}
