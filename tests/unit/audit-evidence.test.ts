// The pure parts of the audit evidence: witnessed checkpoints signed and checked, a chain held to them,
// and refused requests counted per source and interval.
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openWitnessed,
  type PublicKeyHolder,
  signCheckpoint,
  witnessCheckpoint,
} from '../../common/audit-checkpoint';
import { silentLogger } from '../../common/logger';
import { MemberKeyring, publicKeyOf } from '../../common/member-keys';
import { type AuditEntry, type AuditEntryInput, chainEntry } from '../../subgraphs/municipal/audit/chain';
import { RefusalTally } from '../../subgraphs/municipal/audit/refusals';
import { checkAgainstCheckpoints, describeFinding } from '../../subgraphs/municipal/audit/witnessed';

const access = (i: number): AuditEntryInput => ({
  at: `2026-11-01T10:00:0${i}.000Z`,
  municipality: 'SB',
  requestId: `req-${i}`,
  subject: `officer-${i}`,
  role: 'officer',
  home: 'SB',
  purpose: null,
  operation: 'credentials: query Lookup',
  fields: [],
  recordIds: [],
  decision: 'allowed',
  reason: null,
});

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 1; i <= n; i++) out.push(chainEntry(out.at(-1) ?? null, access(i)));
  return out;
}

const claimAt = (entries: AuditEntry[], count: number) => ({
  claim: { members: ['SB'], entries: count, headHash: entries[count - 1]?.hash ?? '', at: 'T' },
  witnessedAt: '2026-11-01T11:00:00.000Z',
});

describe('a chain held to its witnessed checkpoints', () => {
  const whole = chain(8);
  it('holds when the chain only grew since', () => {
    expect(checkAgainstCheckpoints(whole, [claimAt(whole, 5), claimAt(whole, 8)])).toEqual([]);
  });
  it('names entries removed after a checkpoint', () => {
    const [finding] = checkAgainstCheckpoints(whole.slice(0, 6), [claimAt(whole, 8)]);
    expect(finding && describeFinding(finding)).toBe(
      'entries after entry 6 were removed: the chain has 6 entries, the checkpoint witnessed by the registry at 2026-11-01T11:00:00.000Z counted 8',
    );
  });
  it('names a history rewritten with every hash recomputed', () => {
    const rewritten: AuditEntry[] = [];
    for (const e of whole)
      rewritten.push(chainEntry(rewritten.at(-1) ?? null, e.seq === 3 ? { ...e, subject: 'nobody' } : e));
    const findings = checkAgainstCheckpoints(rewritten, [claimAt(whole, 2), claimAt(whole, 5)]);
    expect(findings.map((f) => [f.kind, f.checkpoint.claim.entries])).toEqual([['rewritten', 5]]);
    expect(describeFinding(findings[0] as never)).toMatch(/^history rewritten: entry 5 has another hash/);
  });
});

describe('witnessed checkpoints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossgate-evidence-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const owner = MemberKeyring.open(join(dir, 'sb'), 'SB');
  const registry = MemberKeyring.open(join(dir, 'registry'), 'registry');
  const keys = new Map<string, PublicKeyHolder>([
    [
      owner.current.kid,
      { publicKey: publicKeyOf(owner.current.publicJwk) as KeyObject, members: ['SB'], role: 'municipality' },
    ],
    [
      registry.current.kid,
      {
        publicKey: publicKeyOf(registry.current.publicJwk) as KeyObject,
        members: ['registry'],
        role: 'registry',
      },
    ],
  ]);
  const keyOf = (kid: string) => keys.get(kid) ?? null;
  const claim = { members: ['SB'], entries: 3, headHash: 'a'.repeat(64), at: '2026-11-01T10:00:00.000Z' };

  it('opens with the registry and owner keys, and refuses one changed byte or a checkpoint for another member', async () => {
    const witness = await witnessCheckpoint(
      registry.current,
      await signCheckpoint(owner.current, claim),
      'W',
    );
    expect(await openWitnessed(witness, keyOf)).toMatchObject({ claim, witnessedAt: 'W' });
    const i = witness.lastIndexOf('.') + 5;
    const changed = `${witness.slice(0, i)}${witness[i] === 'A' ? 'B' : 'A'}${witness.slice(i + 1)}`;
    await expect(openWitnessed(changed, keyOf)).rejects.toThrow();
    const forOther = await signCheckpoint(owner.current, { ...claim, members: ['NB'] });
    await expect(
      openWitnessed(await witnessCheckpoint(registry.current, forOther, 'W'), keyOf),
    ).rejects.toThrow(/NB, for whom its key does not speak/);
    // The owner cannot witness itself: the outer signature must be a registry key's.
    const self = await witnessCheckpoint(owner.current, await signCheckpoint(owner.current, claim), 'W');
    await expect(openWitnessed(self, keyOf)).rejects.toThrow(/not a registry's key/);
  });
});

describe('refused requests counted per source and interval', () => {
  it('writes one entry per source and interval, with the count, and lumps sources beyond the limit', async () => {
    let t = 0;
    const written: AuditEntryInput[] = [];
    const tally = new RefusalTally({
      audit: { append: async (e) => void written.push(...e) },
      municipalities: ['SB'],
      intervalMs: 60_000,
      maxSources: 2,
      now: () => t,
      log: silentLogger,
    });
    for (let i = 0; i < 1000; i++) tally.note('10.0.0.1', '/credentials', 'missing');
    for (let i = 0; i < 10; i++) tally.note('10.0.0.2', '/workforce', 'forged');
    tally.note('10.0.0.3', '/credentials', 'stale');
    expect(written).toEqual([]);
    t = 60_000;
    tally.note('10.0.0.1', '/credentials', 'missing');
    await tally.flush(false);
    expect(written.map((e) => [e.subject, e.reason])).toEqual([
      ['unverified:10.0.0.1', '1000 requests refused from 1970-01-01T00:00:00.000Z (missing: 1000)'],
      ['unverified:10.0.0.2', '10 requests refused from 1970-01-01T00:00:00.000Z (forged: 10)'],
      ['unverified:other-sources', '1 request refused from 1970-01-01T00:00:00.000Z (stale: 1)'],
    ]);
    await tally.stop();
    expect(written).toHaveLength(4);
    expect(written[3]).toMatchObject({ subject: 'unverified:10.0.0.1', role: 'anonymous', requestId: '' });
  });
});
