// Per-request DataLoaders over the registry's directory tables: members, occupations, standards, mappings.
import DataLoader from 'dataloader';
import type { RegistryStore } from './store';

export function createRegistryLoaders(store: RegistryStore) {
  return {
    municipality: new DataLoader((codes: readonly string[]) => store.municipalitiesByCodes(codes)),
    occupation: new DataLoader((codes: readonly string[]) => store.occupationsByCodes(codes)),
    standard: new DataLoader((codes: readonly string[]) => store.standardsByCodes(codes)),
    mapping: new DataLoader((ids: readonly string[]) => store.mappingsByQualificationIds(ids)),
  };
}
