// Per-request DataLoaders over the registry's reference data: members, occupations, standards, mappings.
import DataLoader from 'dataloader';
import type { ReferenceData, ReferenceReader } from './reference';

/** A loader answering from one index of the request's reference data. */
function fromReference<T>(
  reference: ReferenceReader,
  index: (data: ReferenceData) => ReadonlyMap<string, T>,
) {
  return new DataLoader(async (keys: readonly string[]) => {
    const found = index(await reference.read());
    return keys.map((k) => found.get(k) ?? null);
  });
}

export function createRegistryLoaders(reference: ReferenceReader) {
  return {
    municipality: fromReference(reference, (d) => d.municipalities),
    occupation: fromReference(reference, (d) => d.occupations),
    standard: fromReference(reference, (d) => d.standards),
    mapping: fromReference(reference, (d) => d.mappings),
  };
}
