// The demo region: its municipalities, the size of its synthetic data, where each part listens, and
// which legacy schema each municipality keeps (a fourth, on MariaDB, joins when MARIADB_URL is set).

import type { MunicipalityInfo } from '../../common/region-records';
import { DEMO_MUNICIPALITIES } from '../seed/catalogue';
import type { RegionShape } from '../seed/region';

export const DEMO_SHAPE: RegionShape = {
  seed: 2026,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 2000,
  placementsPerMunicipality: 3000,
  crossBorderShare: 0.4,
};

/** The municipality whose register lives on a MariaDB/MySQL server. */
export const MARIADB_MUNICIPALITY: MunicipalityInfo = { code: 'LK', name: 'Lakeside', country: 'AT' };

/** The demo's shape; with a MariaDB URL configured the region has the fourth member too. */
export function demoShape(env: NodeJS.ProcessEnv = process.env): RegionShape {
  return env.MARIADB_URL
    ? { ...DEMO_SHAPE, municipalities: [...DEMO_MUNICIPALITIES, MARIADB_MUNICIPALITY] }
    : DEMO_SHAPE;
}

export const DEMO_PORTS = {
  gateway: 4000,
  registry: 4100,
  municipalities: { NB: 4101, SB: 4102, RV: 4103, LK: 4104 } as Record<string, number>,
};

/** Each demo municipality's legacy adapter and where its database lives (under the data dir). */
export const DEMO_DATABASES: Record<string, { adapter: string; database: (dataDir: string) => string }> = {
  NB: { adapter: 'pg-normalised', database: (dir) => `${dir}/municipality-NB` },
  SB: { adapter: 'sqlite-camel', database: (dir) => `${dir}/municipality-SB.sqlite` },
  RV: { adapter: 'pg-ledger', database: (dir) => `${dir}/municipality-RV` },
};

/** The MariaDB database of the fourth member: the URL's own database name, or crossgate_lakeside. */
export function mariadbDemoDatabase(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname.length <= 1) parsed.pathname = '/crossgate_lakeside';
  return parsed.toString();
}
