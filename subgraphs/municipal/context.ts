// What every municipal resolver receives.
import type { Logger } from '../common/logger';
import type { Loaders } from './loaders';
import type { MunicipalStore } from './store';

export interface MunicipalContext {
  store: MunicipalStore;
  loaders: Loaders;
  /** Today's date (YYYY-MM-DD) for derived states such as EXPIRED. */
  today: string;
  log: Logger;
  /** Records that exist but could not be mapped; reported as errors beside the data. */
  recordErrors: Error[];
}
