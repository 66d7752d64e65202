// What every municipal resolver receives.
import type { Caller } from '../../schema/caller';
import type { Logger } from '../common/logger';
import type { Loaders } from './loaders';
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
}
