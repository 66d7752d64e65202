// The demo region: its municipalities, the size of its synthetic data, and where each part listens.
import { DEMO_MUNICIPALITIES } from '../seed/catalogue';
import type { RegionShape } from '../seed/region';

export const DEMO_SHAPE: RegionShape = {
  seed: 2026,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 2000,
  placementsPerMunicipality: 3000,
  crossBorderShare: 0.4,
};

export const DEMO_PORTS = {
  gateway: 4000,
  registry: 4100,
  municipalities: { NB: 4101, SB: 4102, RV: 4103 } as Record<string, number>,
};
