// Live membership: municipalities added, suspended, removed or refused in the registry while the
// region runs take effect without a restart; a subgraph off the contract is refused and unhealthy.
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { request } from 'undici';
import { type MemberKey, MemberKeyring } from '../../../common/member-keys';
import { signAnswer } from '../../../common/message-signatures';
import type { RegionData } from '../../../common/region-records';
import { subgraphSdl } from '../../../schema/contract';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import type { MunicipalServer } from '../../../subgraphs/municipal/server';
import { municipality } from '../../../subgraphs/registry/db/schema';
import { type InProcessRegion, startRegion } from '../../support/in-process';

const HARBOUR = { code: 'HV', name: 'Harbourview', country: 'NL' };
const whole = generateRegion({
  seed: 21,
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

const logLines: { msg: string; municipality?: string; reason?: string }[] = [];
const log = pino(
  { level: 'info' },
  new Writable({
    write(chunk, _enc, done) {
      logLines.push(JSON.parse(String(chunk)));
      done();
    },
  }),
);
let r: InProcessRegion;
let harbour: MunicipalServer;
let offContract: Server;

/** A server whose subgraph SDL lacks Credential.status: it does not satisfy the contract. */
/** A member that signs its answers with its own listed key, but whose SDL lacks a field of the contract. */
async function startOffContractServer(key: MemberKey): Promise<string> {
  const sdl = subgraphSdl('credentials').replace(/^\s+status: CredentialStatus!\n/m, '');
  if (sdl === subgraphSdl('credentials')) throw new Error('the contract changed: adjust this test');
  offContract = createServer((req, res) => {
    const body = JSON.stringify({ data: { _service: { sdl } } });
    const callSignature = req.headers.signature;
    if (typeof callSignature === 'string')
      for (const [name, value] of Object.entries(
        signAnswer(key, { status: 200, body }, callSignature, Date.now()),
      ))
        res.setHeader(name, value);
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  await new Promise<void>((resolve) => offContract.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(offContract.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  r = await startRegion({ region: without('HV'), today: '2026-11-01', gatewayDeps: { log } });
  harbour = (await r.addShard({ codes: ['HV'] }, whole)).server;
});
afterAll(async () => {
  await r?.close();
  if (offContract) await new Promise((resolve) => offContract.close(resolve));
});

const listIds = async () => {
  const res = await r.query('{ credentials(first: 100) { edges { node { id } } } }');
  return (res.data.credentials.edges as { node: { id: string } }[]).map((e) => e.node.id).sort();
};
const health = async () =>
  (await (await request(`${r.gateway.url}/health`)).body.json()) as {
    status: string;
    members: { code: string; status: string; healthy: boolean; reason?: string }[];
  };

/** Refreshes the member list until `done` holds (bounded generously for a loaded machine). */
async function refreshUntil(done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    await r.gateway.membership.refresh();
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('live membership', () => {
  it('serves a municipality added to the registry after the next refresh', async () => {
    expect(await listIds()).toEqual(idsOf(['NB', 'RV', 'SB']));
    await r.registryHandle.db.insert(municipality).values({
      ...HARBOUR,
      status: 'ACTIVE',
      credentialsUrl: harbour.credentialsUrl,
      workforceUrl: harbour.workforceUrl,
    });
    // HV's key was admitted a moment ago: the gateway's copy of the key directory learns it when it
    // is read again (at most once a second), so HV may be refused for an unknown key at first and is
    // checked again at every refresh until its signed answers are taken.
    await refreshUntil(() => {
      const state = r.gateway.membership.current;
      return (
        state.phase === 'ready' && state.members.some((m) => m.code === 'HV') && !state.refused.has('HV')
      );
    });
    expect(await listIds()).toEqual(idsOf(['HV', 'NB', 'RV', 'SB']));
    const c = whole.credentials.find((x) => x.municipality === 'HV');
    const one = await r.query(`{ credential(id: "HV:${c?.localId}") { id status } }`);
    expect(one.data.credential).toEqual({ id: `HV:${c?.localId}`, status: expect.any(String) });
  });

  it('stops serving a suspended municipality, with MUNICIPALITY_SUSPENDED for its ids, and resumes', async () => {
    const setStatus = (status: string) =>
      r.registryHandle.db.update(municipality).set({ status }).where(eq(municipality.code, 'NB'));
    await setStatus('SUSPENDED');
    try {
      await r.gateway.membership.refresh();
      expect(await listIds()).toEqual(idsOf(['HV', 'RV', 'SB']));
      const res = await r.query('{ credential(id: "NB:C-000001") { id } }');
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'MUNICIPALITY_SUSPENDED',
        municipality: 'NB',
      });
      expect((await health()).members.find((m) => m.code === 'NB')).toMatchObject({
        status: 'SUSPENDED',
        healthy: false,
      });
    } finally {
      // The later tests expect NB active, whatever happened here.
      await setStatus('ACTIVE');
    }
    await r.gateway.membership.refresh();
    expect(await listIds()).toEqual(idsOf(['HV', 'NB', 'RV', 'SB']));
  });

  it('forgets a municipality removed from the registry', async () => {
    await r.registryHandle.db.delete(municipality).where(eq(municipality.code, 'HV'));
    await r.gateway.membership.refresh();
    expect(await listIds()).toEqual(idsOf(['NB', 'RV', 'SB']));
    const res = await r.query('{ credential(id: "HV:C-000001") { id } }');
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UNKNOWN_MUNICIPALITY', municipality: 'HV' });
  });

  it('refuses a joining municipality whose subgraph does not satisfy the contract', async () => {
    const keys = MemberKeyring.open(mkdtempSync(join(tmpdir(), 'crossgate-oc-')), 'OC');
    const origin = await startOffContractServer(keys.current);
    await r.registryHandle.db.insert(municipality).values({
      code: 'OC',
      name: 'Offcourse',
      country: 'BE',
      status: 'ACTIVE',
      credentialsUrl: `${origin}/credentials`,
      workforceUrl: `${origin}/workforce`,
    });
    await r.registry.memberKeys.admit([{ member: 'OC', role: 'municipality', jwk: keys.current.publicJwk }]);
    // The gateway's copy of the key directory learns OC's new key when it is read again (at most once a
    // second): until then OC's signed answer is under an unknown key, and OC is refused for that. The
    // copy can be read again between OC's two subgraphs, so one refusal may name the unknown key for
    // one and the contract for the other: the refusal to wait for names no unknown key.
    const refusalLine = () =>
      logLines.find(
        (l) =>
          l.municipality === 'OC' &&
          l.msg.includes('does not satisfy the contract') &&
          !l.msg.includes('unknown-key'),
      );
    await refreshUntil(() => refusalLine() !== undefined);
    const refusal = refusalLine();
    expect(refusal?.msg).toMatch(
      /^municipality OC refused: its credentials subgraph does not satisfy the contract: /,
    );
    expect(refusal?.reason).toContain('Credential.status was removed');
    const h = await health();
    expect(h.status).toBe('degraded');
    expect(h.members.find((m) => m.code === 'OC')).toMatchObject({ status: 'ACTIVE', healthy: false });
    expect(h.members.filter((m) => m.healthy).map((m) => m.code)).toEqual(['NB', 'RV', 'SB']);
    expect(await listIds()).toEqual(idsOf(['NB', 'RV', 'SB']));
    const res = await r.query('{ credential(id: "OC:C-000001") { id } }');
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'MUNICIPALITY_UNAVAILABLE',
      municipality: 'OC',
    });
  });

  it('refreshes on its own timer', async () => {
    await r.registryHandle.db.delete(municipality).where(eq(municipality.code, 'OC'));
    r.gateway.membership.start(50);
    try {
      while ((await health()).members.some((m) => m.code === 'OC')) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      r.gateway.membership.stop();
    }
    expect((await health()).status).toBe('ok');
  });
});
