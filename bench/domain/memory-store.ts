// A read-only MunicipalStore over in-memory records with a fixed delay per call: municipalities of equal speed.

import { type RegionData, recordsOf, verificationHash } from '../../common/region-records';
import { compareSortKeys } from '../../schema/cursor';
import { globalId } from '../../schema/ids';
import { flowRecognitionFromUses, type PlacementUse } from '../../subgraphs/municipal/adapters/flow-uses';
import type {
  CredentialRecord,
  FlowQuery,
  FlowRow,
  HolderRecord,
  MunicipalStore,
  Page,
  PageRequest,
  PlacementRecord,
  QualificationRecord,
  SortKey,
} from '../../subgraphs/municipal/store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pageOf<T>(rows: { record: T; key: SortKey; municipality: string }[], request: PageRequest): Page<T> {
  const scope = rows.filter(
    (r) => !request.municipalities || request.municipalities.includes(r.municipality),
  );
  const after = request.after;
  const rest = after ? scope.filter((r) => compareSortKeys(r.key, after) > 0) : scope;
  return {
    items: rest.slice(0, request.first).map(({ record, key }) => ({ record, key })),
    hasMore: rest.length > request.first,
    total: scope.length,
  };
}

const periodOf = (date: string, granularity: 'MONTH' | 'QUARTER' | 'YEAR') =>
  granularity === 'YEAR'
    ? date.slice(0, 4)
    : granularity === 'MONTH'
      ? date.slice(0, 7)
      : `${date.slice(0, 4)}-Q${Math.ceil(Number(date.slice(5, 7)) / 3)}`;

export function createMemoryStore(
  region: RegionData,
  codes: readonly string[],
  delayMs: number,
): MunicipalStore {
  const mine = recordsOf(region, codes);
  const credentials = mine.credentials.map((c) => ({
    record: {
      id: globalId(c.municipality, c.localId),
      municipality: c.municipality,
      holderId: globalId(c.municipality, c.holderLocalId),
      qualificationId: globalId(c.municipality, c.qualificationLocalId),
      state: c.status,
      validFrom: c.validFrom,
      validUntil: c.validUntil,
    } satisfies CredentialRecord,
    key: [c.validFrom, c.municipality, c.localId] as SortKey,
    municipality: c.municipality,
    hash: verificationHash(c.verificationCode),
  }));
  credentials.sort((a, b) => compareSortKeys(a.key, b.key));
  const placements = mine.placements
    .map((p) => ({
      record: {
        id: globalId(p.municipality, p.localId),
        municipality: p.municipality,
        employer: p.employer,
        iscoCode: p.iscoCode,
        startDate: p.startDate,
        endDate: p.endDate,
        credentialId: p.credentialId,
      } satisfies PlacementRecord,
      key: [p.startDate, p.municipality, p.localId] as SortKey,
      municipality: p.municipality,
    }))
    .sort((a, b) => compareSortKeys(a.key, b.key));
  const holders = new Map<string, HolderRecord>(
    mine.holders.map((h) => {
      const id = globalId(h.municipality, h.localId);
      return [
        id,
        {
          id,
          municipality: h.municipality,
          displayName: h.displayName,
          regionalHolderId: h.regionalHolderId,
        },
      ];
    }),
  );
  const qualifications = new Map<string, QualificationRecord>(
    mine.qualifications.map((q) => {
      const id = globalId(q.municipality, q.localId);
      return [
        id,
        {
          id,
          municipality: q.municipality,
          code: q.code,
          title: q.title,
          eqfLevel: q.eqfLevel,
          iscoCode: q.iscoCode,
        },
      ];
    }),
  );
  const credentialById = new Map(credentials.map((c) => [c.record.id, c]));
  const placementById = new Map(placements.map((p) => [p.record.id, p.record]));
  const rhidOf = (holderId: string) => holders.get(holderId)?.regionalHolderId;

  /** The filtered placements by (credential, destination, start date), for the recognition breakdown. */
  const uses = async (query: FlowQuery): Promise<PlacementUse[]> => {
    await sleep(delayMs);
    const counted = new Map<string, PlacementUse>();
    for (const { record: p } of placements) {
      if (query.to && !query.to.includes(p.municipality)) continue;
      if (query.from && !query.from.includes(p.credentialId.split(':')[0] ?? '')) continue;
      if (query.iscoPrefix && !p.iscoCode.startsWith(query.iscoPrefix)) continue;
      if (query.startFrom && p.startDate < query.startFrom) continue;
      if (query.startTo && p.startDate > query.startTo) continue;
      const key = `${p.credentialId}|${p.municipality}|${p.startDate}`;
      const use = counted.get(key) ?? {
        credentialId: p.credentialId,
        to: p.municipality,
        startDate: p.startDate,
        placements: 0,
      };
      use.placements++;
      counted.set(key, use);
    }
    return [...counted.values()];
  };

  const reads: Omit<MunicipalStore, 'flowCredentialsUsed' | 'placementRecognitionGroups'> = {
    municipalities: codes,
    async credentialsByIds(ids) {
      await sleep(delayMs);
      return ids.map((id) => credentialById.get(id)?.record ?? null);
    },
    async credentialsByHolderIds(holderIds) {
      await sleep(delayMs);
      return holderIds.map((h) => credentials.filter((c) => c.record.holderId === h).map((c) => c.record));
    },
    async credentialsByRegionalHolderIds(rhids, scope) {
      await sleep(delayMs);
      return rhids.map((r) =>
        credentials
          .filter((c) => (!scope || scope.includes(c.municipality)) && rhidOf(c.record.holderId) === r)
          .map((c) => c.record),
      );
    },
    async credentialPage(request) {
      await sleep(delayMs);
      return pageOf(credentials, request);
    },
    async holdersByIds(ids) {
      await sleep(delayMs);
      return ids.map((id) => holders.get(id) ?? null);
    },
    async qualificationsByIds(ids) {
      await sleep(delayMs);
      return ids.map((id) => qualifications.get(id) ?? null);
    },
    async placementsByIds(ids) {
      await sleep(delayMs);
      return ids.map((id) => placementById.get(id) ?? null);
    },
    async placementPage(request) {
      await sleep(delayMs);
      return pageOf(placements, request);
    },
    async placementFlows(query) {
      await sleep(delayMs);
      const cells = new Map<string, FlowRow>();
      for (const { record: p } of placements) {
        const from = p.credentialId.split(':')[0] ?? '';
        if (query.to && !query.to.includes(p.municipality)) continue;
        if (query.from && !query.from.includes(from)) continue;
        if (query.iscoPrefix && !p.iscoCode.startsWith(query.iscoPrefix)) continue;
        if (query.startFrom && p.startDate < query.startFrom) continue;
        if (query.startTo && p.startDate > query.startTo) continue;
        const period = periodOf(p.startDate, query.granularity);
        const key = `${from}|${p.municipality}|${p.iscoCode}|${period}`;
        const cell = cells.get(key) ?? {
          from,
          to: p.municipality,
          iscoCode: p.iscoCode,
          period,
          placements: 0,
        };
        cell.placements++;
        cells.set(key, cell);
      }
      return [...cells.values()];
    },
    async verificationHashesByIds(ids) {
      await sleep(delayMs);
      return ids.map((id) => credentialById.get(id)?.hash ?? null);
    },
    async decisionsByIds(ids) {
      await sleep(delayMs);
      return ids.map(() => null);
    },
    async appealsByDecisionIds(ids) {
      await sleep(delayMs);
      return ids.map(() => []);
    },
    async historyOf(targets) {
      await sleep(delayMs);
      return targets.map(() => []);
    },
    issueCredential: readOnly,
    changeCredentialState: readOnly,
    registerPlacement: readOnly,
    recordDecision: readOnly,
    fileAppeal: readOnly,
    resolveAppeal: readOnly,
    async close() {},
  };
  return { ...reads, ...flowRecognitionFromUses(codes, uses, reads) };
}

/** The benchmark's in-memory municipalities only read. */
async function readOnly(): Promise<never> {
  throw new Error('The in-memory benchmark store is read-only');
}
