// Revocation alerts through real servers: an issuer's status change reaches the members that used the
// credential as a signed CloudEvent from its outbox, once, even across a receiver's restart. The
// issuer, Northbank, keeps a legacy register (its outbox is in the side database, written by the
// two-step write); Southbank and Riverside run the native schema.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { request } from 'undici';
import { signedPost } from '../../common/directory-client';
import { MemberKeyring } from '../../common/member-keys';
import type { CredentialData } from '../../common/region-records';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import { pgNormalisedAdapter } from '../../subgraphs/municipal/adapters/pg-normalised';
import { EVENT_TYPES, sourceOf, structuredMessage } from '../../subgraphs/municipal/alerts/events';
import { alertOutbox } from '../../subgraphs/municipal/alerts/tables';
import { asEmployer, asOfficer } from '../support/callers';
import { type GraphQLAnswer, type InProcessRegion, startRegion } from '../support/in-process';
import { legacyShard } from '../support/legacy-shards';

const TODAY = '2026-11-01';
const region = generateRegion({
  seed: 17,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 120,
  placementsPerMunicipality: 5,
});
let r: InProcessRegion;

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crossgate-alerts-'));
  r = await startRegion({
    region,
    today: TODAY,
    shards: [legacyShard('NB', pgNormalisedAdapter, join(dir, 'nb')), { codes: ['SB'] }, { codes: ['RV'] }],
    alerts: { pollMs: 200, retry: { initialMs: 100, maxMs: 1000 }, timeoutMs: 5000 },
  });
}, 600_000);
afterAll(async () => {
  await r?.close();
  rmSync(dir, { recursive: true, force: true });
});

const idOf = (c: CredentialData) => `${c.municipality}:${c.localId}`;
const activeOf = (m: string) =>
  region.credentials.filter((c) => c.municipality === m && c.status === 'ACTIVE');
const nbActive = activeOf('NB');
if (nbActive.length < 60) throw new Error('the seed lacks enough active NB credentials');
const shardOf = (code: string) => {
  const shard = r.shards.find((s) => s.spec.codes.includes(code));
  if (!shard?.ownRecords) throw new Error(`no database of own records for ${code}`);
  return shard;
};
const eventsUrlOf = (code: string) => `${shardOf(code).server.url}/events`;

const ALERTS = `query($m: ID!, $first: Int, $after: String) {
  alerts(municipality: $m, first: $first, after: $after) {
    edges { cursor node { id credentialId issuer status effectiveAt effectiveDate placements decisions receivedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Alert {
  id: string;
  credentialId: string;
  issuer: string;
  status: string;
  effectiveAt: string;
  effectiveDate: string;
  placements: string[];
  decisions: string[];
  receivedAt: string;
}

interface AlertPage {
  edges: { node: Alert }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Every alert of a municipality, walking the pages. */
async function alertsOf(m: string): Promise<Alert[]> {
  const out: Alert[] = [];
  let after: string | null = null;
  for (;;) {
    const res: GraphQLAnswer<{ alerts: AlertPage }> = await r.query(
      ALERTS,
      { m, first: 100, after },
      asOfficer(m),
    );
    expect(res.errors).toBeUndefined();
    const page: AlertPage | undefined = res.data?.alerts;
    if (!page) throw new Error('alerts answered no page');
    out.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

/** Polls `probe` until it holds, for at most `boundMs` (generous: the machine is shared). */
async function eventually<T>(probe: () => Promise<T>, holds: (v: T) => boolean, boundMs = 180_000) {
  const until = Date.now() + boundMs;
  let last = await probe();
  while (!holds(last) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await probe();
  }
  return last;
}

const REVOKE = `mutation($id: ID!, $key: String!) {
  revokeCredential(id: $id, idempotencyKey: $key, reason: "obtained by fraud") { id status }
}`;
async function revoke(id: string) {
  const res = await r.query(REVOKE, { id, key: randomUUID() }, asOfficer('NB'));
  expect(res.errors).toBeUndefined();
  expect(res.data.revokeCredential.status).toBe('REVOKED');
}

/** Undelivered outbox rows of `from` addressed to `to`. */
const undelivered = async (from: string, to: string) =>
  (await shardOf(from).ownRecords?.db.select().from(alertOutbox).where(eq(alertOutbox.target, to)))?.filter(
    (row) => row.deliveredAt === null,
  ) ?? [];

describe('revocation alerts', () => {
  it('tells the member that placed a worker with the credential and decided on it, and the member that read it', async () => {
    const credential = nbActive[0] as CredentialData;
    const id = idOf(credential);
    const placed = await r.query(
      `mutation($input: RegisterPlacementInput!, $key: String!) {
        registerPlacement(municipality: "SB", input: $input, idempotencyKey: $key) { id }
      }`,
      {
        input: { credentialId: id, employer: 'Elektro Nowak', iscoCode: '7411', startDate: '2026-10-01' },
        key: randomUUID(),
      },
      asOfficer('SB'),
    );
    expect(placed.errors).toBeUndefined();
    const placementId = placed.data.registerPlacement.id as string;
    const decided = await r.query(
      `mutation($input: RecognitionDecisionInput!, $key: String!) {
        recordRecognitionDecision(municipality: "SB", input: $input, idempotencyKey: $key) { id }
      }`,
      {
        input: {
          credentialId: id,
          decidedFor: '2026-10-01',
          outcome: 'RECOGNISED',
          inputs: JSON.stringify({ credential: id, checkedOn: '2026-10-01' }),
        },
        key: randomUUID(),
      },
      asOfficer('SB'),
    );
    expect(decided.errors).toBeUndefined();
    const decisionId = decided.data.recordRecognitionDecision.id as string;
    // RV's officer reads the credential: NB's audit log names RV as a reader.
    const read = await r.query(
      `query($id: ID!) { credential(id: $id) { id status } }`,
      { id },
      asOfficer('RV'),
    );
    expect(read.errors).toBeUndefined();
    // SB's use reaches NB before the revocation, so NB counts SB among the credential's users.
    const told = await eventually(
      () => undelivered('SB', 'NB'),
      (rows) => rows.length === 0,
    );
    expect(told).toEqual([]);

    await revoke(id);
    const sb = await eventually(
      () => alertsOf('SB'),
      (alerts) => alerts.some((a) => a.credentialId === id),
    );
    const alert = sb.find((a) => a.credentialId === id);
    expect(alert).toMatchObject({
      credentialId: id,
      issuer: 'NB',
      status: 'REVOKED',
      placements: [placementId],
      decisions: [decisionId],
    });
    expect(alert?.effectiveDate).toBe(alert?.effectiveAt.slice(0, 10));
    expect(Date.parse(alert?.receivedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(alert?.effectiveAt ?? ''));
    const rv = await eventually(
      () => alertsOf('RV'),
      (alerts) => alerts.some((a) => a.credentialId === id),
    );
    expect(rv.find((a) => a.credentialId === id)).toMatchObject({ status: 'REVOKED', placements: [] });
    // The issuer's own officers are not alerted of its own change.
    expect((await alertsOf('NB')).some((a) => a.credentialId === id)).toBe(false);
  }, 600_000);

  it("shows a municipality's alerts to its own officers only, with coded errors", async () => {
    const other = await r.query(ALERTS, { m: 'SB' }, asOfficer('NB'));
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const employer = await r.query(ALERTS, { m: 'SB' }, asEmployer());
    expect(employer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unknown = await r.query(ALERTS, { m: 'ZZ' }, asOfficer('SB'));
    expect(unknown.errors?.[0]?.extensions?.code).toBe('UNKNOWN_MUNICIPALITY');
    const cursor = await r.query(ALERTS, { m: 'SB', after: 'bm90LWEtY3Vyc29y' }, asOfficer('SB'));
    expect(cursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  }, 120_000);

  it('delivers all of 50 revocations exactly once to a receiver that was stopped while they happened', async () => {
    const batch = nbActive.slice(10, 60);
    const ids = batch.map(idOf);
    // SB's officers read the 50 credentials (NB's audit log names SB as their reader).
    for (let i = 0; i < ids.length; i += 10) {
      const aliases = ids
        .slice(i, i + 10)
        .map((id, n) => `c${n}: credential(id: ${JSON.stringify(id)}) { id }`)
        .join(' ');
      const res = await r.query(`{ ${aliases} }`, {}, asOfficer('SB'));
      expect(res.errors).toBeUndefined();
    }
    const sb = shardOf('SB');
    await sb.stop();
    for (const id of ids) await revoke(id);
    // The sends fail while SB is down: each of the 50 events waits in NB's outbox.
    const waiting = await eventually(
      () => undelivered('NB', 'SB'),
      (rows) =>
        rows.filter((row) => ids.includes(row.subject)).length === 50 && rows.some((row) => row.attempts > 0),
    );
    expect(waiting.filter((row) => ids.includes(row.subject))).toHaveLength(50);
    expect(waiting.some((row) => row.attempts > 0 && row.lastError !== null)).toBe(true);

    await sb.start();
    const received = await eventually(
      () => alertsOf('SB'),
      (alerts) => ids.every((id) => alerts.some((a) => a.credentialId === id)),
    );
    const settled = await eventually(
      () => undelivered('NB', 'SB'),
      (rows) => rows.length === 0,
    );
    expect(settled).toEqual([]);
    const after = await alertsOf('SB');
    for (const id of ids) expect(after.filter((a) => a.credentialId === id)).toHaveLength(1);
    expect(received.filter((a) => ids.includes(a.credentialId))).toHaveLength(50);
  }, 600_000);

  /** A status-changed event about `credentialId`, as `source` would send it to SB. */
  const eventFor = (credentialId: string, source = 'NB', id: string = randomUUID()) =>
    structuredMessage({
      id,
      source: sourceOf(source),
      recipient: 'SB',
      type: EVENT_TYPES.statusChanged,
      subject: credentialId,
      time: new Date().toISOString(),
      data: { credentialId, status: 'SUSPENDED', effectiveAt: new Date().toISOString() },
    });
  const post = async (body: string, headers: Record<string, string>) => {
    const res = await request(eventsUrlOf('SB'), { method: 'POST', headers, body });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
  };
  const codeOf = (answer: { body: Record<string, unknown> }) =>
    (answer.body.errors as { extensions: { code: string } }[] | undefined)?.[0]?.extensions.code;

  it('refuses an unsigned or forged event and flags nothing', async () => {
    const credentialId = idOf(nbActive[70] as CredentialData);
    const before = (await alertsOf('SB')).length;
    const { body, contentType } = eventFor(credentialId);
    const url = eventsUrlOf('SB');

    const unsigned = await post(body, { 'content-type': contentType });
    expect(unsigned.status).toBe(401);
    expect(codeOf(unsigned)).toBe('SIGNATURE_INVALID');

    // A key the registry's directory does not list.
    const dir = mkdtempSync(join(tmpdir(), 'crossgate-stranger-'));
    try {
      const stranger = MemberKeyring.open(dir, 'NB');
      const forged = await post(
        body,
        signedPost(stranger, url, body, Date.now(), { 'content-type': contentType }),
      );
      expect(forged.status).toBe(401);
      expect(codeOf(forged)).toBe('SIGNATURE_INVALID');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // RV's own key, claiming to speak for NB.
    const rvKeyring = shardOf('RV').keyring;
    const impostor = await post(
      body,
      signedPost(rvKeyring, url, body, Date.now(), { 'content-type': contentType }),
    );
    expect(impostor.status).toBe(401);
    expect(codeOf(impostor)).toBe('SIGNATURE_INVALID');

    // A body changed after signing.
    const nb = shardOf('NB').keyring;
    const headers = signedPost(nb, url, body, Date.now(), { 'content-type': contentType });
    const tampered = await post(body.replace('SUSPENDED', 'REVOKED'), headers);
    expect(tampered.status).toBe(401);

    expect(await alertsOf('SB')).toHaveLength(before);
  }, 120_000);

  it('flags an event delivered twice once', async () => {
    const credentialId = idOf(nbActive[71] as CredentialData);
    const eventId = randomUUID();
    const { body, contentType } = eventFor(credentialId, 'NB', eventId);
    const nb = shardOf('NB').keyring;
    const url = eventsUrlOf('SB');
    const first = await post(body, signedPost(nb, url, body, Date.now(), { 'content-type': contentType }));
    const second = await post(body, signedPost(nb, url, body, Date.now(), { 'content-type': contentType }));
    expect(first).toEqual({ status: 200, body: { accepted: eventId, duplicate: false } });
    expect(second).toEqual({ status: 200, body: { accepted: eventId, duplicate: true } });
    const flagged = (await alertsOf('SB')).filter((a) => a.id === eventId);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({ credentialId, status: 'SUSPENDED', issuer: 'NB' });
  }, 120_000);
});
