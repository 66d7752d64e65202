// Audit evidence a third party can check, through real servers: the registry witnesses a municipality's
// signed checkpoints; verify-audit names a history its owner rewrote (every hash recomputed) or cut
// short after a witnessed checkpoint; a flood of unsigned requests leaves a row per source and interval;
// auditTrail walks the whole log.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { asc, eq, gt, sql } from 'drizzle-orm';
import { request } from 'undici';
import { openPostgres, type PgHandle, pgConnectionOf } from '../../common/postgres';
import { auditLog, createNativeAuditStore } from '../../subgraphs/municipal/adapters/native/audit';
import { type AuditEntry, type AuditEntryInput, chainEntry } from '../../subgraphs/municipal/audit/chain';
import { postgresTarget } from '../adapters/targets';
import type { GraphQLAnswer, InProcessRegion } from '../support/in-process';
import { auditOf, bearer, officerOf, startSecureRegion } from './region';

const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'crossgate-checkpoints-'));
const keysFile = join(dir, 'keys.jsonl');
let auditUrl = '';
let auditHandle: PgHandle;
let r: InProcessRegion;

const shardOf = (code: string) => {
  const shard = r.shards.find((s) => s.spec.codes.includes(code));
  if (!shard) throw new Error(`no shard serves ${code}`);
  return shard;
};

const access = (i: number): AuditEntryInput => ({
  at: new Date(Date.UTC(2026, 10, 1, 10, 0, i)).toISOString(),
  municipality: 'SB',
  requestId: `req-${i}`,
  subject: `officer-${i % 7}`,
  role: 'officer',
  home: 'SB',
  purpose: null,
  operation: 'credentials: query Lookup',
  fields: ['Holder.displayName'],
  recordIds: [`SB:H-${String(i).padStart(6, '0')}`],
  decision: 'allowed',
  reason: null,
});

beforeAll(async () => {
  // Southbank's audit log in a PostgreSQL database of its own, which verify-audit opens beside the server.
  auditUrl = await postgresTarget.create();
  auditHandle = await openPostgres(pgConnectionOf(auditUrl));
  r = await startSecureRegion({
    shards: [
      { codes: ['NB'] },
      { codes: ['SB'], audit: () => createNativeAuditStore(auditHandle) },
      { codes: ['RV'] },
    ],
  });
  // What a third party holds: Southbank's and the registry's public keys, as npm run member-key prints them.
  writeFileSync(
    keysFile,
    [
      { member: 'SB', role: 'municipality', jwk: shardOf('SB').keyring.current.publicJwk },
      { member: 'registry', role: 'registry', jwk: r.keys.registry.current.publicJwk },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n'),
  );
}, 600_000);
afterAll(async () => {
  await r?.close();
  await auditHandle?.close();
  if (auditUrl) await postgresTarget.drop(auditUrl);
  rmSync(dir, { recursive: true, force: true });
});

async function verifyAudit(...extra: string[]) {
  return run(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts/verify-audit.ts'), auditUrl, ...extra],
    {
      cwd: ROOT,
      timeout: 240_000,
    },
  ).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

/** The owner, bypassing its own trigger, changes what entry `seq` says and recomputes every hash after it. */
async function rewriteFrom(seq: number, change: (e: AuditEntry) => AuditEntry) {
  const entries = await shardOf('SB').audit.readAll();
  let prev: { seq: number; hash: string } | null = entries.find((e) => e.seq === seq - 1) ?? null;
  const rows = entries
    .filter((e) => e.seq >= seq)
    .map((e) => {
      const next = chainEntry(prev, e.seq === seq ? change(e) : e);
      prev = next;
      return next;
    });
  await auditHandle.db.transaction(async (tx) => {
    await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    for (const row of rows)
      await tx
        .update(auditLog)
        .set({ subject: row.subject, prevHash: row.prevHash, hash: row.hash })
        .where(eq(auditLog.seq, row.seq));
    await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
  });
  return entries;
}

type TrailPage = GraphQLAnswer<{
  auditTrail: {
    edges: { node: { seq: number } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}>;

describe('witnessed audit checkpoints', () => {
  let witnessedCount = 0;

  it('has the registry countersign a checkpoint signed with the owner key, and verify-audit checks it', async () => {
    const officer = await bearer(r, officerOf('SB'));
    for (let i = 0; i < 3; i++) {
      const res = await r.query(
        '{ credentials(first: 2, municipalities: ["SB"]) { edges { node { id } } } }',
        {},
        officer,
      );
      expect(res.errors).toBeUndefined();
    }
    await shardOf('SB').audit.append(Array.from({ length: 40 }, (_, i) => access(i)));
    const witnessed = await shardOf('SB').server.checkpoint();
    const entries = await shardOf('SB').audit.readAll();
    expect(witnessed?.claim).toMatchObject({ members: ['SB'], entries: entries.length });
    expect(witnessed?.claim.headHash).toBe(entries.at(-1)?.hash);
    witnessedCount = entries.length;
    // Nothing new: no second checkpoint.
    expect(await shardOf('SB').server.checkpoint()).toBeNull();
    const outcome = await verifyAudit('--keys', keysFile);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`1 witnessed checkpoints hold (the last: ${witnessedCount} entries`);
  });

  it('names a history its owner rewrote after a witnessed checkpoint, every hash recomputed', async () => {
    const original = await rewriteFrom(10, (e) => ({ ...e, subject: 'someone-else' }));
    // The chain alone cannot tell: each link and hash holds.
    const plain = await verifyAudit();
    expect(plain.stdout).toContain('audit chain intact');
    const outcome = await verifyAudit('--keys', keysFile);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      `history rewritten: entry ${witnessedCount} has another hash than at the checkpoint witnessed by the registry at`,
    );
    // Put back what was there (the rows as they were), for the next case.
    await rewriteFrom(10, () => original.find((e) => e.seq === 10) as AuditEntry);
    expect((await verifyAudit('--keys', keysFile)).code).toBe(0);
  });

  it("names a history cut short, from the registry's witnesses even when the owner deleted its own", async () => {
    const cut = witnessedCount - 10;
    await auditHandle.db.transaction(async (tx) => {
      await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
      await tx.delete(auditLog).where(gt(auditLog.seq, cut));
      await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
      await tx.execute(sql`DELETE FROM audit_checkpoint`);
    });
    // The owner's chain alone looks whole, and it kept no checkpoint.
    expect((await verifyAudit('--keys', keysFile)).code).toBe(0);
    // An auditor asks the registry for the checkpoints it witnessed.
    const answer = await r.query(
      '{ auditCheckpoints(municipality: "SB") }',
      {},
      await bearer(r, { subject: 'auditor-1', role: 'auditor' }),
    );
    expect(answer.errors).toBeUndefined();
    const witnesses = join(dir, 'witnesses.json');
    writeFileSync(witnesses, JSON.stringify(answer));
    const outcome = await verifyAudit('--keys', keysFile, '--witnesses', witnesses);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      `entries after entry ${cut} were removed: the chain has ${cut} entries, the checkpoint witnessed by the registry at`,
    );
    expect(outcome.stderr).toContain(`counted ${witnessedCount}`);
    // A changed byte in a witness is refused, not believed.
    const forged = JSON.stringify(answer).replace(
      /"ey([A-Za-z0-9_-]{10})/,
      (_m, s: string) => `"ey${s.split('').reverse().join('')}`,
    );
    writeFileSync(witnesses, forged);
    expect((await verifyAudit('--keys', keysFile, '--witnesses', witnesses)).stderr).toContain(
      'does not verify',
    );
    // The registry will not witness the shorter chain: the owner's next checkpoint is refused.
    await expect(shardOf('SB').server.checkpoint()).rejects.toThrow(/409.*CHECKPOINT_INVALID/s);
  });
});

describe('refused requests in the owner log', () => {
  it('counts a flood of 2,000 unsigned requests per source and interval, leaving real entries in view', async () => {
    const nb = shardOf('NB');
    const officer = await bearer(r, officerOf('NB'));
    const real = await r.query(
      '{ credentials(first: 1, municipalities: ["NB"]) { edges { node { id } } } }',
      {},
      officer,
    );
    expect(real.errors).toBeUndefined();
    await nb.server.flushRefusals();
    const before = (await auditOf(r, 'NB')).length;
    const started = Date.now();
    const body = JSON.stringify({ query: '{ credentials(first: 1) { totalCount } }' });
    let refused = 0;
    const worker = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const res = await request(nb.server.credentialsUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-request-id': `flood-${i}`,
            'x-crossgate-caller': 'x',
          },
          body,
        });
        await res.body.text();
        if (res.statusCode === 401) refused++;
      }
    };
    await Promise.all(Array.from({ length: 20 }, () => worker(100)));
    await nb.server.flushRefusals();
    const intervals = Math.ceil((Date.now() - started) / 60_000) + 1;
    expect(refused).toBe(2000);
    const added = (await auditOf(r, 'NB')).slice(before);
    // One row per source (here one address) and interval, with the count; none per request.
    expect(added.length).toBeLessThanOrEqual(intervals);
    expect(added.every((e) => e.subject === 'unverified:127.0.0.1' && e.role === 'anonymous')).toBe(true);
    expect(added.every((e) => e.requestId === '')).toBe(true);
    const counted = added.reduce(
      (n, e) => n + Number(/^(\d+) requests? refused/.exec(e.reason ?? '')?.[1] ?? 0),
      0,
    );
    expect(counted).toBe(2000);
    // The officer's real access is still on the first page of the trail.
    const trail = await r.query(
      '{ auditTrail(municipality: "NB", first: 20) { edges { node { subject operation } } } }',
      {},
      officer,
    );
    expect(trail.errors).toBeUndefined();
    const subjects = (trail.data.auditTrail.edges as { node: { subject: string } }[]).map(
      (e) => e.node.subject,
    );
    expect(subjects).toContain('officer-nb');
  });

  it('walks the whole log through auditTrail pages', async () => {
    const auditor = await bearer(r, { subject: 'auditor-2', role: 'auditor' });
    const seqs: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res: TrailPage = await r.query(
        'query($after: String) { auditTrail(municipality: "SB", first: 17, after: $after) { edges { node { seq } } pageInfo { hasNextPage endCursor } } }',
        { after },
        auditor,
      );
      expect(res.errors).toBeUndefined();
      const trail = res.data?.auditTrail;
      if (!trail) throw new Error('auditTrail answered no page');
      seqs.push(...trail.edges.map((e) => e.node.seq));
      if (!trail.pageInfo.hasNextPage) break;
      after = trail.pageInfo.endCursor;
    }
    const inDb = (
      await auditHandle.db.select({ seq: auditLog.seq }).from(auditLog).orderBy(asc(auditLog.seq))
    ).map((e) => e.seq);
    const top = seqs[0] as number;
    // Newest first, no gap, down to the first entry: every entry up to the first page's newest.
    expect(seqs).toEqual(inDb.filter((s) => s <= top).reverse());
    expect(seqs.at(-1)).toBe(1);
  });
});
