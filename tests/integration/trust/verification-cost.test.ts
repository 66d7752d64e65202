// An employer's verification, recognition and signed attestation included, costs at most five SQL
// statements across the owner and the registry, the owner's audit append counted.

import { StatementCounter } from '../../../common/postgres';
import type { CredentialData } from '../../../common/region-records';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { createNativeAuditStore } from '../../../subgraphs/municipal/adapters/native/audit';
import { verifyChain } from '../../../subgraphs/municipal/audit/chain';
import { asEmployer } from '../../support/callers';
import { type InProcessRegion, startRegion } from '../../support/in-process';

const TODAY = '2026-11-01';
const region = generateRegion({
  seed: 11,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 60,
  placementsPerMunicipality: 20,
});
const registryStatements = new StatementCounter({ withAudit: true });
let r: InProcessRegion;

beforeAll(async () => {
  r = await startRegion({
    region,
    today: TODAY,
    now: () => new Date(`${TODAY}T12:00:00Z`),
    registryCounter: registryStatements,
    countAuditStatements: true,
  });
}, 180_000);
afterAll(() => r?.close());

const VERIFY = `query($id: ID!, $code: String!, $in: ID!) {
  verifyCredential(id: $id, code: $code, in: $in) {
    valid status
    credential { issuer { code name country } holderName validUntil
      qualification { title eqfLevel regionalStandard { code title eqfLevel occupation { iscoCode title } } } }
    recognition { outcome reason measures { kind months hours level } basis { agreement { id title } clause } }
    attestation
  }
}`;

const live = (c: CredentialData) =>
  c.status === 'ACTIVE' && c.validFrom <= TODAY && (c.validUntil === null || c.validUntil >= TODAY);

/** Active credentials of Southbank verified for work in Northbank: a recognition across the border. */
const presented = region.credentials.filter((c) => c.municipality === 'SB' && live(c)).slice(0, 4);

async function verify(c: CredentialData) {
  const res = await r.query(
    VERIFY,
    { id: `${c.municipality}:${c.localId}`, code: c.verificationCode, in: 'NB' },
    asEmployer(),
  );
  expect(res.errors).toBeUndefined();
  expect(res.data.verifyCredential).toMatchObject({ valid: true, status: 'ACTIVE' });
  expect(res.data.verifyCredential.recognition.outcome).toEqual(expect.any(String));
  // Signing the owner's statement and the registry's countersignature reads nothing from a database.
  expect(res.data.verifyCredential.attestation).toEqual(expect.any(String));
  return res;
}

function counted() {
  const owner = r.shards.find((s) => s.spec.codes.includes('SB'));
  if (!owner) throw new Error('no Southbank shard');
  return { owner, registry: registryStatements.count, others: r.shards.filter((s) => s !== owner) };
}

describe('the cost of an employer verification', () => {
  it('takes at most five SQL statements across owner and registry, the audit append one of them', async () => {
    expect(presented.length).toBeGreaterThanOrEqual(3);
    // The first verification after start reads the audit log's last entry and the reference data.
    const [first, ...rest] = presented;
    if (first) await verify(first);
    for (const c of rest) {
      const before = (await counted().owner.audit.readAll()).length;
      registryStatements.reset();
      for (const s of r.shards) s.counter.reset();
      await verify(c);
      const { owner, registry, others } = counted();
      const ownerStatements = [...owner.counter.statements];
      // One read of the credential with its holder and qualification, one INSERT into the audit log.
      expect(ownerStatements).toHaveLength(2);
      expect(ownerStatements.filter((q) => /insert into "audit_log"/i.test(q))).toHaveLength(1);
      expect(owner.counter.count + registry).toBeLessThanOrEqual(5);
      for (const s of others) expect(s.counter.count).toBe(0);
      // Every verification still reaches the owner's log.
      const after = await owner.audit.readAll();
      expect(after.length).toBeGreaterThan(before);
      expect(after.at(-1)?.recordIds).toContain(`${c.municipality}:${c.localId}`);
    }
  });

  it('keeps the audit chain whole when another writer appends between two verifications', async () => {
    const owner = counted().owner;
    const [a, b] = presented;
    if (!a || !b) throw new Error('seed lacks two credentials');
    await verify(a);
    // A second replica of the same municipality, over the same database, appends in between.
    if (!owner.handle) throw new Error('the Southbank shard is not native');
    const replica = await createNativeAuditStore(owner.handle);
    const entry = (await owner.audit.readAll()).at(-1);
    if (!entry) throw new Error('no audit entry');
    const { seq: _seq, prevHash: _prev, hash: _hash, ...input } = entry;
    await replica.append([{ ...input, requestId: 'replica-request' }]);
    await verify(b);
    const all = await owner.audit.readAll();
    expect(verifyChain(all)).toEqual({ ok: true, entries: all.length });
    expect(all.map((e) => e.requestId)).toContain('replica-request');
    expect(all.at(-1)?.recordIds).toContain(`${b.municipality}:${b.localId}`);
  });
});
