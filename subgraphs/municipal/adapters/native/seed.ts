// The native tables created where missing, and a generated region's records written into them
// through the native mapping, one municipality after another.
import type { PgHandle } from '../../../../common/postgres';
import { type RegionData, recordsOf } from '../../../../common/region-records';
import { CREATE_ALERT_TABLES } from '../../alerts/tables';
import { seedThroughMapping } from '../kit/fixtures';
import { nativeMapping } from './mapping';
import { CREATE_TABLES, qualification } from './schema';

export async function createNativeTables(handle: PgHandle) {
  await handle.exec(CREATE_TABLES);
  await handle.exec(CREATE_ALERT_TABLES);
}

/** True when the database already holds records (a restart keeps its data). */
export async function isSeeded(handle: PgHandle): Promise<boolean> {
  const rows = await handle.db.select({ m: qualification.municipality }).from(qualification).limit(1);
  return rows.length > 0;
}

export async function seedNative(handle: PgHandle, region: RegionData, codes: readonly string[]) {
  for (const code of codes)
    await seedThroughMapping(nativeMapping, handle.db, recordsOf(region, [code]), code);
}
