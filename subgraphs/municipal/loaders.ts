// Per-request DataLoaders over a MunicipalStore: every entity and to-many relation is batched.
import DataLoader from 'dataloader';
import type {
  CredentialRecord,
  HolderRecord,
  Loaded,
  MunicipalStore,
  PlacementRecord,
  QualificationRecord,
  WriteEntry,
} from './store';

export interface Loaders {
  credential: DataLoader<string, CredentialRecord | null>;
  holder: DataLoader<string, HolderRecord | null>;
  qualification: DataLoader<string, QualificationRecord | null>;
  placement: DataLoader<string, PlacementRecord | null>;
  credentialsOfHolder: DataLoader<string, CredentialRecord[]>;
  /** Write history of records, by global id. */
  history: DataLoader<string, WriteEntry[]>;
}

/** Keeps a record's Error in its own slot so the batch never fails as a whole. */
const slots =
  <T>(load: (ids: readonly string[]) => Promise<Loaded<T>[]>) =>
  (ids: readonly string[]) =>
    load(ids);

export function createLoaders(store: MunicipalStore): Loaders {
  return {
    credential: new DataLoader(slots((ids) => store.credentialsByIds(ids))),
    holder: new DataLoader(slots((ids) => store.holdersByIds(ids))),
    qualification: new DataLoader(slots((ids) => store.qualificationsByIds(ids))),
    placement: new DataLoader(slots((ids) => store.placementsByIds(ids))),
    credentialsOfHolder: new DataLoader((ids) => store.credentialsByHolderIds(ids)),
    history: new DataLoader((ids) => store.historyOf(ids)),
  };
}
