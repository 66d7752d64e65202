// The per-record error of a row that exists but cannot be mapped to the contract (INVALID_RECORD).
import { crossgateError } from '../../../schema/errors';

export type InvalidRecordError = Error & { recordId: string; municipality: string };

/** A row that exists but cannot be mapped; it fails alone, naming municipality and record. */
export function invalidRecord(municipality: string, recordId: string, problem: string): InvalidRecordError {
  const error = crossgateError(
    'INVALID_RECORD',
    `Record ${recordId} of ${municipality} is invalid: ${problem}`,
    {
      municipality,
      recordId,
    },
  ) as unknown as InvalidRecordError;
  error.recordId = recordId;
  error.municipality = municipality;
  return error;
}
