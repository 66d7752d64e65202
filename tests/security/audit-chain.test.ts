// The owner's audit log is append-only and tamper-evident: the verifier names the edited entry.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openPostgres, type PgHandle } from '../../common/postgres';
import { createNativeAuditStore } from '../../subgraphs/municipal/adapters/native/audit';
import {
  type AuditEntry,
  type AuditEntryInput,
  type AuditStore,
  chainEntry,
  verifyChain,
} from '../../subgraphs/municipal/audit/chain';

const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);

const access = (i: number): AuditEntryInput => ({
  at: `2026-11-01T10:00:0${i}.000Z`,
  municipality: 'SB',
  requestId: `req-${i}`,
  subject: `officer-${i}`,
  role: 'officer',
  home: 'NB',
  purpose: i % 2 ? 'case 7' : null,
  operation: 'credentials: query Lookup',
  fields: ['Holder.displayName'],
  recordIds: [`SB:H-00000${i}`],
  decision: i % 2 ? 'allowed' : 'denied',
  reason: i % 2 ? null : 'Municipality SB releases Holder.displayName only with a stated purpose',
});

describe('the hash-chained audit log', () => {
  let dir: string;
  let handle: PgHandle;
  let audit: AuditStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crossgate-audit-'));
    handle = await openPostgres({ kind: 'pglite', dataDir: dir });
    audit = await createNativeAuditStore(handle);
    await audit.append([access(1), access(2)]);
    await Promise.all([audit.append([access(3)]), audit.append([access(4), access(5)])]);
  });
  afterAll(async () => {
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('chains concurrent appends into one unbroken sequence', async () => {
    const entries = await audit.readAll();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(verifyChain(entries)).toEqual({ ok: true, entries: 5 });
  });

  it('refuses updates and deletes in the database itself', async () => {
    await expect(handle.exec(`UPDATE audit_log SET decision = 'allowed' WHERE seq = 2`)).rejects.toThrow(
      /append-only/,
    );
    await expect(handle.exec('DELETE FROM audit_log WHERE seq = 5')).rejects.toThrow(/append-only/);
  });

  it('pinpoints a row edited by someone who bypassed the trigger', async () => {
    await handle.exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
      UPDATE audit_log SET decision = 'allowed', reason = NULL WHERE seq = 2;
      ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;`);
    expect(verifyChain(await audit.readAll())).toEqual({ ok: false, seq: 2, problem: 'content-changed' });
  });

  it('the verify-audit command exits non-zero naming the tampered entry', async () => {
    await handle.close();
    const outcome = await run(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts/verify-audit.ts'), dir],
      {
        cwd: ROOT,
      },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('audit chain BROKEN at entry 2');
    expect(outcome.stderr).toContain('edited');
    handle = await openPostgres({ kind: 'pglite', dataDir: dir });
  });

  it('detects a removed entry as a gap', () => {
    const entries: AuditEntry[] = [];
    for (const i of [1, 2, 3]) entries.push(chainEntry(entries[entries.length - 1] ?? null, access(i)));
    const withoutSecond = entries.filter((e) => e.seq !== 2);
    expect(verifyChain(withoutSecond)).toEqual({ ok: false, seq: 3, problem: 'gap' });
  });
});
