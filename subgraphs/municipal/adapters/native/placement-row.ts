// A row of the native placement table as the region's placement record, read or just written.
import { globalId } from '../../../../schema/ids';
import type { PlacementRecord } from '../../store';
import type { placement } from './schema';

export function placementRecordOf(r: typeof placement.$inferSelect): PlacementRecord {
  return {
    id: globalId(r.municipality, r.localId),
    municipality: r.municipality,
    employer: r.employer,
    iscoCode: r.iscoCode,
    startDate: r.startDate,
    endDate: r.endDate,
    credentialId: r.credentialId,
  };
}
