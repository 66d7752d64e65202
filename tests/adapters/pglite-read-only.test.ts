// PGlite has no logins: the PostgreSQL-dialect adapters open its directory as a read-only session.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres } from '../../common/postgres';
import { pgNormalisedAdapter } from '../../subgraphs/municipal/adapters/pg-normalised';
import { region } from './behaviour';

const dir = mkdtempSync(join(tmpdir(), 'crossgate-pglite-ro-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the read path of an embedded PGlite register', () => {
  it('reads, and refuses every write', async () => {
    await pgNormalisedAdapter.seed(dir, region, 'SB');
    const reader = await openPostgres({ kind: 'pglite', dataDir: dir }, undefined, { readOnly: true });
    try {
      await expect(reader.exec('SELECT count(*) FROM certificate')).resolves.toBeUndefined();
      await expect(reader.exec(`INSERT INTO certificate_state VALUES (9, 'forged')`)).rejects.toThrow(
        /read-only transaction/,
      );
      await expect(reader.exec('CREATE TABLE forged (x integer)')).rejects.toThrow(/read-only transaction/);
    } finally {
      await reader.close();
    }
    const store = await pgNormalisedAdapter.open({ reader: dir, owner: dir }, 'SB');
    try {
      const [found] = await store.credentialsByIds(['SB:C-000001']);
      expect(found).toMatchObject({ id: 'SB:C-000001', municipality: 'SB' });
    } finally {
      await store.close();
    }
  });
});
