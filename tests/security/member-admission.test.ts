// Members admitted through the API, through real servers: a new municipality joins a running region by
// the admit-member script (no SQL, no restart); suspension drops it from routing and from the signed
// directory, readmission brings it back; every write is idempotent, coded when wrong, and in the history.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { signedPost } from '../../common/directory-client';
import type { MemberKeyring } from '../../common/member-keys';
import type { RegionData } from '../../common/region-records';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import { type InProcessRegion, startRegion } from '../support/in-process';
import { bearer, registryAdmin } from './region';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const HARBOUR = { code: 'HV', name: 'Harbourview', country: 'NL' };
const whole = generateRegion({
  seed: 23,
  municipalities: [...DEMO_MUNICIPALITIES, HARBOUR],
  holdersPerMunicipality: 6,
  placementsPerMunicipality: 6,
  crossBorderShare: 0,
});
const without = (code: string): RegionData => ({
  ...whole,
  municipalities: whole.municipalities.filter((m) => m.code !== code),
  qualifications: whole.qualifications.filter((q) => q.municipality !== code),
  holders: whole.holders.filter((h) => h.municipality !== code),
  credentials: whole.credentials.filter((c) => c.municipality !== code),
  placements: whole.placements.filter((p) => p.municipality !== code),
});
const idsOf = (codes: string[]) =>
  whole.credentials
    .filter((c) => codes.includes(c.municipality))
    .map((c) => `${c.municipality}:${c.localId}`)
    .sort();

const dir = mkdtempSync(join(tmpdir(), 'crossgate-admission-'));
let r: InProcessRegion;
let harbour: InProcessRegion['shards'][number];
let adminToken = '';

beforeAll(async () => {
  r = await startRegion({ region: without('HV'), today: '2026-11-01' });
  // Harbourview's server runs with its own key, which the registry does not know yet.
  harbour = await r.addShard({ codes: ['HV'], admitKeys: false }, whole);
  adminToken = await r.token(registryAdmin);
}, 600_000);
afterAll(async () => {
  await r?.close();
  rmSync(dir, { recursive: true, force: true });
});

const listIds = async () => {
  const res = await r.query('{ credentials(first: 100) { edges { node { id } } } }');
  return (res.data.credentials.edges as { node: { id: string } }[]).map((e) => e.node.id).sort();
};

/** A call to the registry signed with a key of Harbourview's: 200 when the registry accepts the key. */
async function registryAccepts(keyring: MemberKeyring): Promise<number> {
  const body = JSON.stringify({ query: '{ agreements(municipality: "HV") { id } }' });
  const res = await request(r.registryUrl, {
    method: 'POST',
    headers: signedPost(keyring, r.registryUrl, body, Date.now()),
    body,
  });
  await res.body.text();
  return res.statusCode;
}

const asAdmin = async (query: string, variables: Record<string, unknown>) =>
  r.query(query, variables, await bearer(r, registryAdmin));

function admitScript(keyFile: string) {
  const base = harbour.server.credentialsUrl.replace(/\/credentials$/, '');
  return run(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'scripts/admit-member.ts'),
      '--code=HV',
      '--name=Harbourview',
      '--country=NL',
      `--url=${base}`,
      `--keys=${keyFile}`,
      `--gateway=${r.gateway.graphqlUrl}`,
      '--reason=joins the region',
    ],
    { cwd: ROOT, timeout: 240_000, env: { ...process.env, CROSSGATE_TOKEN: adminToken } },
  );
}

const HISTORY = `query { municipality(code: "HV") { status keys { kid withdrawnAt notAfter } history { action actor reason } } }`;
const ADMIT = `mutation($input: AdmitMemberInput!, $key: String!) { admitMember(input: $input, idempotencyKey: $key) { code } }`;
const jwkOf = (keyring: MemberKeyring) => {
  const { kid, kty, crv, x } = keyring.current.publicJwk;
  return { kid, kty, crv, x };
};
const admission = (keys: unknown[], name = 'Harbourview') => ({
  code: 'HV',
  name,
  country: 'NL',
  credentialsUrl: harbour.server.credentialsUrl,
  workforceUrl: harbour.server.workforceUrl,
  keys,
});

describe('admitting a municipality through the API', () => {
  it('joins a new member to the running region from its public key file, with no SQL', async () => {
    expect(await listIds()).toEqual(idsOf(['NB', 'RV', 'SB']));
    expect(await registryAccepts(harbour.keyring)).toBe(401);
    // What `npm run member-key -- <folder> HV` prints: the public entry only.
    const keyFile = join(dir, 'hv-public.jsonl');
    writeFileSync(
      keyFile,
      `${JSON.stringify({ member: 'HV', role: 'municipality', jwk: harbour.keyring.current.publicJwk })}\n`,
    );
    const { stdout } = await admitScript(keyFile);
    expect(stdout).toContain(`Admitted HV (ACTIVE) with keys ${harbour.keyring.current.kid}`);
    await r.gateway.membership.refresh();
    expect(await listIds()).toEqual(idsOf(['HV', 'NB', 'RV', 'SB']));
    // The registry reads its directory again at once: Harbourview's signed calls are accepted.
    expect(await registryAccepts(harbour.keyring)).toBe(200);
    // Sent again (a retry), the admission is answered as before and applied once.
    const again = await admitScript(keyFile);
    expect(again.stdout).toContain('Admitted HV (ACTIVE)');
    const history = await asAdmin(HISTORY, {});
    expect(history.errors).toBeUndefined();
    expect(history.data.municipality.history).toEqual([
      { action: 'admitMember', actor: registryAdmin.subject, reason: 'joins the region' },
    ]);
  });

  it('refuses bad admissions with coded errors', async () => {
    const key = jwkOf(harbour.keyring);
    const cases: [unknown[], string, string][] = [
      [[key], 'MEMBER_ALREADY_ADMITTED', 'admit-dup-0001'],
      [[{ ...key, crv: 'P-256' }], 'UNSUPPORTED_KEY_TYPE', 'admit-p256-0001'],
      [[{ ...key, x: 'not-a-key' }], 'UNSUPPORTED_KEY_TYPE', 'admit-short-0001'],
      [[{ ...key, kid: 'HV.AAAAAAAAAAAAAAAA' }], 'KEY_ID_MISMATCH', 'admit-kid-0001'],
      // Northbank's key, named as Northbank's: it cannot be listed for another member too.
      [[jwkOf(r.shards[0]?.keyring as MemberKeyring)], 'KEY_ID_MISMATCH', 'admit-other-0001'],
    ];
    for (const [keys, code, idempotencyKey] of cases) {
      const res = await asAdmin(ADMIT, { input: admission(keys), key: idempotencyKey });
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
    }
    const unknown = await asAdmin(
      'mutation { suspendMember(code: "ZZ", idempotencyKey: "suspend-zz-0001", reason: "none") { code } }',
      {},
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe('UNKNOWN_MUNICIPALITY');
    // An officer holds no registry:write: the gateway refuses before the registry is asked.
    const officer = await r.query(ADMIT, { input: admission([key]), key: 'admit-officer-0001' });
    expect(officer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // None of the refused writes reached the history.
    const history = await asAdmin(HISTORY, {});
    expect(history.data.municipality.history).toHaveLength(1);
  });

  it('suspends a member out of routing and the directory, and readmits it, idempotently', async () => {
    const suspend = `mutation($key: String!, $reason: String!) { suspendMember(code: "HV", idempotencyKey: $key, reason: $reason) { code status } }`;
    const first = await asAdmin(suspend, { key: 'suspend-hv-0001', reason: 'audit overdue' });
    expect(first.errors).toBeUndefined();
    expect(first.data.suspendMember).toEqual({ code: 'HV', status: 'SUSPENDED' });
    // The same key and payload: the first answer again; another payload under it: a conflict.
    const retry = await asAdmin(suspend, { key: 'suspend-hv-0001', reason: 'audit overdue' });
    expect(retry.data.suspendMember).toEqual({ code: 'HV', status: 'SUSPENDED' });
    const conflict = await asAdmin(suspend, { key: 'suspend-hv-0001', reason: 'another reason' });
    expect(conflict.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_CONFLICT');
    const twice = await asAdmin(suspend, { key: 'suspend-hv-0002', reason: 'audit overdue' });
    expect(twice.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');

    await r.gateway.membership.refresh();
    expect(await listIds()).toEqual(idsOf(['NB', 'RV', 'SB']));
    const c = whole.credentials.find((x) => x.municipality === 'HV');
    const one = await r.query(`{ credential(id: "HV:${c?.localId}") { id } }`);
    expect(one.errors?.[0]?.extensions).toMatchObject({ code: 'MUNICIPALITY_SUSPENDED', municipality: 'HV' });
    expect(await registryAccepts(harbour.keyring)).toBe(401);

    const readmit = await asAdmin(
      'mutation { readmitMember(code: "HV", idempotencyKey: "readmit-hv-0001", reason: "audit done") { status } }',
      {},
    );
    expect(readmit.data.readmitMember).toEqual({ status: 'ACTIVE' });
    await r.gateway.membership.refresh();
    expect(await listIds()).toEqual(idsOf(['HV', 'NB', 'RV', 'SB']));
    expect(await registryAccepts(harbour.keyring)).toBe(200);
    const history = await asAdmin(HISTORY, {});
    expect(history.data.municipality.history.map((h: { action: string }) => h.action)).toEqual([
      'admitMember',
      'suspendMember',
      'readmitMember',
    ]);
  });

  it('publishes the next key and withdraws the old one', async () => {
    const old = harbour.keyring.current;
    const next = harbour.keyring.createNext();
    const { kid, kty, crv, x } = next.publicJwk;
    const rotated = await asAdmin(
      `mutation($next: PublicJwkInput!) { rotateMemberKey(code: "HV", next: $next, idempotencyKey: "rotate-hv-0001") { kid withdrawnAt } }`,
      { next: { kid, kty, crv, x } },
    );
    expect(rotated.errors).toBeUndefined();
    expect(rotated.data.rotateMemberKey).toEqual({ kid, withdrawnAt: null });
    harbour.keyring.activate(next.kid);
    expect(await registryAccepts(harbour.keyring)).toBe(200);

    const withdraw = `mutation($kid: String!, $key: String!) { withdrawMemberKey(code: "HV", kid: $kid, idempotencyKey: $key, reason: "lost laptop") { kid withdrawnAt } }`;
    const withdrawn = await asAdmin(withdraw, { kid: old.kid, key: 'withdraw-hv-0001' });
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data.withdrawMemberKey.withdrawnAt).toEqual(expect.any(String));
    const retry = await asAdmin(withdraw, { kid: old.kid, key: 'withdraw-hv-0001' });
    expect(retry.data.withdrawMemberKey).toEqual(withdrawn.data.withdrawMemberKey);
    const unknown = await asAdmin(withdraw, { kid: 'HV.nosuchkey', key: 'withdraw-hv-0002' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // A call signed with the withdrawn key is refused; the next key still works.
    harbour.keyring.activate(old.kid);
    expect(await registryAccepts(harbour.keyring)).toBe(401);
    harbour.keyring.activate(next.kid);
    expect(await registryAccepts(harbour.keyring)).toBe(200);
    const keys = (await asAdmin(HISTORY, {})).data.municipality.keys as {
      kid: string;
      withdrawnAt: string | null;
    }[];
    expect(keys.find((k) => k.kid === old.kid)?.withdrawnAt).toEqual(expect.any(String));
    expect(keys.find((k) => k.kid === next.kid)?.withdrawnAt).toBeNull();
  });

  it('resumes a suspended agreement: in force again from the day it resumed, not in between', async () => {
    const list = await r.query('{ agreements { id status } }');
    const ratified = (list.data.agreements as { id: string; status: string }[]).find(
      (a) => a.status === 'RATIFIED',
    );
    if (!ratified) throw new Error('the seed has no ratified agreement');
    const suspended = await asAdmin(
      `mutation($id: ID!) { suspendAgreement(id: $id, on: "2026-06-01", idempotencyKey: "suspend-ag-0001", reason: "review") { status } }`,
      { id: ratified.id },
    );
    expect(suspended.data.suspendAgreement).toEqual({ status: 'SUSPENDED' });
    const resume = `mutation($id: ID!, $on: Date!) { resumeAgreement(id: $id, on: $on, idempotencyKey: "resume-ag-0001", reason: "review done") {
      status resumedOn during: inForce(at: "2026-07-01") after: inForce(at: "2026-09-01") history { action } } }`;
    const resumed = await asAdmin(resume, { id: ratified.id, on: '2026-08-01' });
    expect(resumed.errors).toBeUndefined();
    expect(resumed.data.resumeAgreement).toMatchObject({
      status: 'RATIFIED',
      resumedOn: '2026-08-01',
      during: false,
      after: true,
    });
    expect(resumed.data.resumeAgreement.history.map((h: { action: string }) => h.action).slice(-2)).toEqual([
      'suspendAgreement',
      'resumeAgreement',
    ]);
    const conflict = await asAdmin(resume, { id: ratified.id, on: '2026-08-02' });
    expect(conflict.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_CONFLICT');
    const again = await asAdmin(
      `mutation($id: ID!) { resumeAgreement(id: $id, on: "2026-08-02", idempotencyKey: "resume-ag-0002", reason: "again") { status } }`,
      { id: ratified.id },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
  });
});
