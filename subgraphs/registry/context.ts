// What every registry resolver receives: stores, per-request loaders, the caller and the clock.
import DataLoader from 'dataloader';
import type { AttestationKeys } from '../../common/credentials/attestation';
import type { MemberKey } from '../../common/member-keys';
import type { Caller } from '../../schema/caller';
import { createRegistryLoaders } from './loaders';
import { type AgreementWrites, createAgreementWrites } from './modules/agreements/governance-writes';
import { type AgreementStore, createAgreementStore } from './modules/agreements/store';
import type { AuditWitness } from './modules/audit-witness';
import type { MemberAdmission } from './modules/members/admission';
import { agreementsBinding, createReferenceCache, type ReferenceCache, referenceReader } from './reference';
import type { RegistryStore } from './store';

export interface RegistryDeps {
  store: RegistryStore;
  agreements: AgreementStore;
  writes: AgreementWrites;
  /** Members admitted, suspended and readmitted, their keys published and withdrawn. */
  admission: MemberAdmission;
  /** Audit checkpoints the registry witnessed (auditors read them to check an owner's chain). */
  witness: AuditWitness;
  /** The reference tables in memory, checked against the registry version once per request. */
  referenceCache: ReferenceCache;
  /** The current instant; the registry's "today" is its UTC date. */
  now: () => Date;
}

export function createRegistryDeps(
  store: RegistryStore,
  admission: MemberAdmission,
  now: () => Date,
  witness: AuditWitness,
): RegistryDeps {
  return {
    store,
    admission,
    witness,
    agreements: createAgreementStore(store.db),
    writes: createAgreementWrites(store.db, now),
    referenceCache: createReferenceCache(store.db),
    now,
  };
}

export function createRequestReference(deps: RegistryDeps) {
  return referenceReader(deps.referenceCache);
}

export function createRequestLoaders(deps: RegistryDeps, reference: ReturnType<typeof referenceReader>) {
  return {
    ...createRegistryLoaders(reference),
    agreement: new DataLoader(async (ids: readonly string[]) => {
      const { agreements } = await reference.read();
      return ids.map((id) => agreements.get(id) ?? null);
    }),
    parties: new DataLoader(async (ids: readonly string[]) => {
      const { parties } = await reference.read();
      return ids.map((id) => [...(parties.get(id) ?? [])]);
    }),
    history: new DataLoader((ids: readonly string[]) => deps.agreements.historyByTargets(ids)),
    memberKeys: new DataLoader((codes: readonly string[]) => deps.admission.keysOf(codes)),
    /** Agreements binding a pair, keyed "<issuer>|<destination>". */
    binding: new DataLoader(async (pairs: readonly string[]) => {
      const data = await reference.read();
      return pairs.map((p) => {
        const [a = '', b = ''] = p.split('|');
        return agreementsBinding(data, a, b);
      });
    }),
  };
}

export interface RegistryContext extends RegistryDeps {
  caller: Caller;
  /** Today's date, YYYY-MM-DD, the default date of recognitions. */
  today: string;
  loaders: ReturnType<typeof createRequestLoaders>;
  /** This request's view of the reference data; a mutation switches it to a check at every read. */
  reference: ReturnType<typeof referenceReader>;
  /** What countersigning an attestation needs: the registry's key, the directory, the trust clock (ms). */
  attestation: { key: () => MemberKey; keys: AttestationKeys; now: () => number };
}
