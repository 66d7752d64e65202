// Recognition at a date uses the status in force on that date, from the owner's status history
// (its write log), through real servers: past and future dates around suspensions and revocations.
import type { CredentialData } from '../../common/region-records';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import { asOfficer } from '../support/callers';
import { type InProcessRegion, startRegion } from '../support/in-process';

const TODAY = '2026-11-01';
const region = generateRegion({
  seed: 31,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 60,
  placementsPerMunicipality: 10,
});
/** The clock of municipal writes and of the registry: each write is dated where the test sets it. */
let clock = Date.parse(`${TODAY}T12:00:00Z`);
let r: InProcessRegion;

beforeAll(async () => {
  r = await startRegion({
    region,
    today: TODAY,
    now: () => new Date(clock),
  });
}, 600_000);
afterAll(() => r?.close());

const idOf = (c: CredentialData) => `${c.municipality}:${c.localId}`;
/** Active through the whole period the tests look at (from September to December). */
const steady = region.credentials.filter(
  (c) =>
    c.municipality === 'SB' &&
    c.status === 'ACTIVE' &&
    c.validFrom <= '2026-09-01' &&
    (c.validUntil === null || c.validUntil >= '2026-12-31'),
);

async function write(operation: string, c: CredentialData, at: string) {
  clock = Date.parse(at);
  try {
    const res = await r.query(
      `mutation($id: ID!, $key: String!) { ${operation}(id: $id, idempotencyKey: $key, reason: "status history test") { status } }`,
      { id: idOf(c), key: `status-at-${operation}-${c.localId}` },
      asOfficer('SB'),
    );
    expect(res.errors).toBeUndefined();
  } finally {
    clock = Date.parse(`${TODAY}T12:00:00Z`);
  }
}

/** The issuer's own recognition (no agreement involved): RECOGNISED unless the status or dates forbid. */
async function recognitionOn(c: CredentialData, at: string) {
  const res = await r.query(
    `query($id: ID!, $at: Date!) { credential(id: $id) { status recognition(destination: "SB", at: $at) { outcome reason at } } }`,
    { id: idOf(c), at },
    asOfficer('SB'),
  );
  expect(res.errors).toBeUndefined();
  return res.data.credential as {
    status: string;
    recognition: { outcome: string; reason: string | null; at: string };
  };
}

describe('recognition at a date follows the status history', () => {
  it('counts a suspension from last month, lifted yesterday, on the dates it was in force only', async () => {
    const c = steady[0] as CredentialData;
    await write('suspendCredential', c, '2026-10-01T09:00:00Z');
    await write('reinstateCredential', c, '2026-10-31T09:00:00Z');
    expect(await recognitionOn(c, '2026-09-30')).toMatchObject({
      status: 'ACTIVE',
      recognition: { outcome: 'RECOGNISED', reason: null },
    });
    for (const day of ['2026-10-01', '2026-10-15', '2026-10-30']) {
      expect((await recognitionOn(c, day)).recognition).toEqual({
        outcome: 'NOT_RECOGNISED',
        reason: 'SUSPENDED',
        at: day,
      });
    }
    expect((await recognitionOn(c, '2026-10-31')).recognition.outcome).toBe('RECOGNISED');
    expect((await recognitionOn(c, TODAY)).recognition.outcome).toBe('RECOGNISED');
  });

  it('keeps a credential revoked next month recognised today, and refuses it from that day on', async () => {
    const c = steady[1] as CredentialData;
    await write('revokeCredential', c, '2026-12-01T09:00:00Z');
    // The register holds the revocation already; the history dates it next month.
    const today = await recognitionOn(c, TODAY);
    expect(today.status).toBe('REVOKED');
    expect(today.recognition).toMatchObject({ outcome: 'RECOGNISED', reason: null });
    expect((await recognitionOn(c, '2026-11-30')).recognition.outcome).toBe('RECOGNISED');
    expect((await recognitionOn(c, '2026-12-01')).recognition).toMatchObject({
      outcome: 'NOT_RECOGNISED',
      reason: 'REVOKED',
    });
  });

  it('reads the status history in one batched statement per request, however many credentials', async () => {
    const owner = r.shards.find((s) => s.spec.codes.includes('SB'));
    if (!owner) throw new Error('no Southbank shard');
    const statementsFor = async (first: number) => {
      owner.counter.reset();
      const res = await r.query(
        `query($first: Int!) { credentials(first: $first, municipalities: ["SB"]) {
          edges { node { id recognition(destination: "SB", at: "2026-10-15") { outcome } } } } }`,
        { first },
        asOfficer('SB'),
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.credentials.edges).toHaveLength(first);
      return owner.counter.statements.filter((q) => /write_log/i.test(q)).length;
    };
    expect(await statementsFor(2)).toBe(1);
    expect(await statementsFor(20)).toBe(1);
  });

  it('takes the current status where the history records no change', async () => {
    const revoked = region.credentials.find(
      (c) => c.municipality === 'SB' && c.status === 'REVOKED' && c.validFrom <= '2026-09-01',
    );
    if (!revoked) throw new Error('seed lacks a revoked SB credential');
    expect((await recognitionOn(revoked, '2026-09-15')).recognition).toMatchObject({
      outcome: 'NOT_RECOGNISED',
      reason: 'REVOKED',
    });
    const untouched = steady[2] as CredentialData;
    expect((await recognitionOn(untouched, '2026-09-15')).recognition.outcome).toBe('RECOGNISED');
  });
});
