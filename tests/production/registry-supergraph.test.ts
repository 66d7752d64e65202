// The registry publishes the region's supergraph (GET /supergraph); a gateway's reload polls it,
// applies a new contract that only adds, and rolls back one that removes a field.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../../common/http';
import { silentLogger } from '../../common/logger';
import { MemberKeyring } from '../../common/member-keys';
import { MemoryNonceCache } from '../../common/nonces';
import { openPostgres, type PgHandle } from '../../common/postgres';
import { ReloadJournal } from '../../common/reload';
import { buildSupergraph } from '../../gateway/src/reload/supergraph-check';
import { followSupergraphSources, SupergraphReload } from '../../gateway/src/reload/supergraph-reload';
import { composeContract, readContract, readSupergraph } from '../../schema/contract';
import { createRegistryTables } from '../../subgraphs/registry/seed';
import { startRegistryServer } from '../../subgraphs/registry/server';
import { createRegistryStore } from '../../subgraphs/registry/store';
import { callerTokensOf } from '../support/callers';

const CHANGE_MS = 180_000;
const dir = mkdtempSync(join(tmpdir(), 'crossgate-registry-supergraph-'));
const file = join(dir, 'supergraph.graphql');
let handle: PgHandle;
let registry: RunningServer;

function replaceFile(text: string) {
  writeFileSync(`${file}.next`, text);
  renameSync(`${file}.next`, file);
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + CHANGE_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never saw ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  writeFileSync(file, readSupergraph());
  handle = await openPostgres({ kind: 'pglite' });
  await createRegistryTables(handle);
  registry = await startRegistryServer({
    store: createRegistryStore(handle.db),
    trust: {
      keyring: MemberKeyring.open(join(dir, 'registry-keys'), 'registry'),
      nonces: new MemoryNonceCache(),
      windowMs: 60_000,
      authenticate: callerTokensOf(),
      directoryTtlMs: 30_000,
    },
    supergraph: () => readFile(file, 'utf8'),
  });
}, 600_000);

afterAll(async () => {
  await registry?.close();
  await handle?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the registry's published supergraph", () => {
  it('is served as text and followed by the reload: applied when it adds, rolled back when it removes', async () => {
    const res = await fetch(`${registry.url}/supergraph`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(readSupergraph());

    const built = buildSupergraph(readSupergraph());
    if (!built.ok) throw new Error(built.problems.join('; '));
    const journal = new ReloadJournal(silentLogger, undefined);
    const reload = new SupergraphReload(built.built, [], journal);
    const served: string[] = [];
    await reload.manager().initialize({
      update: (sdl) => served.push(sdl),
      healthCheck: async () => {},
      getDataSource: () => {
        throw new Error('not used');
      },
    });
    const sources = followSupergraphSources(reload, {
      url: `${registry.url}/supergraph`,
      pollMs: 100,
      log: silentLogger,
    });
    try {
      const sdls = readContract();
      const added = composeContract({
        ...sdls,
        registry: sdls.registry.replace(/\n(\s*)name: String!/, '\n$1name: String!\n$1motto: String'),
      });
      if (!added.ok) throw new Error(added.errors.join('\n'));
      replaceFile(added.supergraphSdl);
      await until(() => reload.current().sdl === added.supergraphSdl, 'the new supergraph applied');
      expect(served).toHaveLength(1);
      expect(journal.latest('supergraph')).toMatchObject({
        outcome: 'applied',
        origin: `url ${registry.url}/supergraph`,
      });

      // Publishing the previous contract again would remove the field just added: refused.
      replaceFile(readSupergraph());
      await until(() => journal.latest('supergraph')?.outcome === 'rolled_back', 'the reload rolled back');
      expect(reload.current().sdl).toBe(added.supergraphSdl);
      expect(served).toHaveLength(1);
      const outcome = journal.latest('supergraph');
      expect(outcome?.outcome === 'rolled_back' && outcome.problems.join(' ')).toMatch(/motto was removed/);
    } finally {
      sources.stop();
    }
  }, 600_000);
});
