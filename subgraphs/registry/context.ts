// What every registry resolver receives: stores, per-request loaders, the caller and the clock.
import DataLoader from 'dataloader';
import type { Caller } from '../../schema/caller';
import { createRegistryLoaders } from './loaders';
import { type AgreementWrites, createAgreementWrites } from './modules/agreements/governance-writes';
import { type AgreementStore, createAgreementStore } from './modules/agreements/store';
import type { RegistryStore } from './store';

export interface RegistryDeps {
  store: RegistryStore;
  agreements: AgreementStore;
  writes: AgreementWrites;
  /** The current instant; the registry's "today" is its UTC date. */
  now: () => Date;
}

export function createRegistryDeps(store: RegistryStore, now: () => Date = () => new Date()): RegistryDeps {
  return {
    store,
    agreements: createAgreementStore(store.db),
    writes: createAgreementWrites(store.db, now),
    now,
  };
}

export function createRequestLoaders(deps: RegistryDeps) {
  return {
    ...createRegistryLoaders(deps.store),
    agreement: new DataLoader((ids: readonly string[]) => deps.agreements.agreementsByIds(ids)),
    parties: new DataLoader((ids: readonly string[]) => deps.agreements.partiesByAgreementIds(ids)),
    history: new DataLoader((ids: readonly string[]) => deps.agreements.historyByTargets(ids)),
    /** Agreements binding a pair, keyed "<issuer>|<destination>". */
    binding: new DataLoader(
      (pairs: readonly string[]) =>
        Promise.all(
          pairs.map((p) => {
            const [a = '', b = ''] = p.split('|');
            return deps.agreements.factsBinding(a, b);
          }),
        ),
      { batch: false },
    ),
  };
}

export interface RegistryContext extends RegistryDeps {
  caller: Caller;
  /** Today's date, YYYY-MM-DD, the default date of recognitions. */
  today: string;
  loaders: ReturnType<typeof createRequestLoaders>;
}
