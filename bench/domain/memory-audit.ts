// An in-memory, hash-chained audit log for the equal-speed municipalities of the scaling
// benchmark: each simulated municipality's fixed delay stands for all of its own work, audit
// writes included, so that the measurement isolates the gateway's fan-out.
import { type AuditEntry, type AuditStore, chainEntry } from '../../subgraphs/municipal/audit/chain';

export function createMemoryAuditStore(): AuditStore {
  const entries: AuditEntry[] = [];
  return {
    async append(inputs) {
      for (const input of inputs) entries.push(chainEntry(entries[entries.length - 1] ?? null, input));
    },
    async trail({ municipality, first, before }) {
      return entries
        .filter((e) => e.municipality === municipality && (before === null || e.seq < before))
        .reverse()
        .slice(0, first);
    },
    async readAll() {
      return [...entries];
    },
    async readersOf(municipality, recordId) {
      const homes = entries
        .filter((e) => e.municipality === municipality && e.decision === 'allowed')
        .filter((e) => e.recordIds.includes(recordId))
        .flatMap((e) => (e.home && e.home !== municipality ? [e.home] : []));
      return [...new Set(homes)].sort();
    },
  };
}
