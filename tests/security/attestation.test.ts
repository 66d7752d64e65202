// The attestation an employer keeps, through real servers: checked offline with verify-attestation
// against the registry's saved directory, and refused when a byte, a signer or the outcome changes.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CompactSign } from 'jose';
import {
  ATTESTATION_TYPE,
  type AttestationResult,
  countersign,
  STATEMENT_TYPE,
  signStatement,
} from '../../common/credentials/attestation';
import type { DirectoryDocument } from '../../common/key-directory';
import { type MemberKey, MemberKeyring } from '../../common/member-keys';
import { signCall } from '../../common/message-signatures';
import type { CredentialData } from '../../common/region-records';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import { checkAttestation, openSavedDirectory } from '../../scripts/verifier/attestation';
import { asEmployer, asOfficer } from '../support/callers';
import { type InProcessRegion, startRegion } from '../support/in-process';
import { postJson } from '../support/raw-post';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');
const TODAY = '2026-11-01';
const NOON = Date.parse(`${TODAY}T12:00:00Z`);
const region = generateRegion({
  seed: 12,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 60,
  placementsPerMunicipality: 10,
});
let r: InProcessRegion;
let dir: string;
let directory: DirectoryDocument;

beforeAll(async () => {
  r = await startRegion({
    region,
    today: TODAY,
    now: () => new Date(NOON),
    trust: { now: () => NOON },
    gatewayDeps: { now: () => NOON },
  });
  dir = mkdtempSync(join(tmpdir(), 'crossgate-attestation-'));
  // The employer saves the registry's signed directory once, through the gateway, as the README shows.
  await cli('save', r.gateway.url, '--to', join(dir, 'directory.jws'));
  directory = await openSavedDirectory(
    readFileSync(join(dir, 'directory.jws'), 'utf8'),
    r.keys.registry.all().map((k) => k.publicJwk),
  );
}, 600_000);
afterAll(async () => {
  await r?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm run verify-attestation` as a separate process; the servers of this test keep answering. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await run(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts/verify-attestation.ts'), ...args],
      {
        cwd: ROOT,
        timeout: 120_000,
      },
    );
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function checkFile(attestation: string) {
  const file = join(dir, `attestation-${Math.random().toString(36).slice(2)}.jws`);
  writeFileSync(file, attestation);
  return cli(file, '--directory', join(dir, 'directory.jws'));
}

const idOf = (c: CredentialData) => `${c.municipality}:${c.localId}`;
const live = (c: CredentialData) =>
  c.status === 'ACTIVE' && c.validFrom <= TODAY && (c.validUntil === null || c.validUntil >= TODAY);
const sbActive = region.credentials.filter((c) => c.municipality === 'SB' && live(c));

const VERIFY = `query($id: ID!, $code: String!, $in: ID!) {
  verifyCredential(id: $id, code: $code, destination: $in) {
    id valid status destination attestation
    recognition { outcome reason measures { kind } basis { agreement { id } clause } }
  }
}`;

async function verify(c: CredentialData, destination = 'NB', code = c.verificationCode) {
  const res = await r.query(VERIFY, { id: idOf(c), code, in: destination }, asEmployer('employer-att'));
  expect(res.errors).toBeUndefined();
  return res.data.verifyCredential as {
    id: string;
    valid: boolean;
    status: string;
    attestation: string | null;
    recognition: {
      outcome: string;
      reason: string | null;
      basis: { agreement: { id: string } | null } | null;
    };
  };
}

const check = (attestation: string): Promise<AttestationResult> => checkAttestation(attestation, directory);
const parts = (jws: string) => jws.split('.') as [string, string, string];
const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const keyOfShard = (code: string): MemberKey => {
  const shard = r.shards.find((s) => s.spec.codes.includes(code));
  if (!shard) throw new Error(`no shard ${code}`);
  return shard.keyring.current;
};
const resign = (key: MemberKey, typ: string, payload: unknown) =>
  new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ })
    .sign(key.privateKey);

describe('the attestation of verifyCredential', () => {
  it('checks offline with verify-attestation and says what was attested', async () => {
    const c = sbActive[0] as CredentialData;
    const v = await verify(c);
    expect(v).toMatchObject({ valid: true, status: 'ACTIVE' });
    expect(v.attestation).toEqual(expect.any(String));
    const out = await checkFile(v.attestation as string);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`credential   ${idOf(c)} (issued by SB)`);
    expect(out.stdout).toContain('valid        true, status ACTIVE');
    expect(out.stdout).toContain('destination  NB');
    expect(out.stdout).toContain('verifier     employer-att');
    expect(out.stdout).toContain(`recognition  ${v.recognition.outcome}`);
    expect(out.stdout).toContain(keyOfShard('SB').kid);
    expect(out.stdout).toContain(r.keys.registry.current.kid);
    // What the owner signed and what the registry countersigned match the answer itself.
    const result = await check(v.attestation as string);
    if (!result.ok) throw new Error(result.reason);
    expect(result.check).toMatchObject({
      method: 'verifyCredential',
      verification: v.id,
      credential: idOf(c),
      issuer: 'SB',
      status: 'ACTIVE',
      destination: 'NB',
      verifier: 'employer-att',
      checkedAt: new Date(NOON).toISOString(),
    });
    expect(result.recognition).toMatchObject({
      outcome: v.recognition.outcome,
      reason: v.recognition.reason,
      agreement: v.recognition.basis?.agreement?.id ?? null,
      destination: 'NB',
      at: TODAY,
    });
  });

  it('is absent when the verification fails: nothing is attested for a wrong code', async () => {
    const v = await verify(sbActive[1] as CredentialData, 'NB', 'WRONG-CODE-1');
    expect(v).toMatchObject({ valid: false, attestation: null });
  });

  it('fails with one changed byte, wherever it is', async () => {
    const attestation = (await verify(sbActive[2] as CredentialData)).attestation as string;
    const out = await checkFile(
      `${attestation.slice(0, 40)}${attestation[40] === 'A' ? 'B' : 'A'}${attestation.slice(41)}`,
    );
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/^Attestation refused \((SIGNATURE_MISMATCH|MALFORMED)\)/);
    // Every position, in process: header, the owner's nested statement, the recognition, both signatures.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const accepted: number[] = [];
    for (let i = 0; i < attestation.length; i++) {
      const was = attestation[i] as string;
      const now = was === '.' ? 'A' : alphabet[(alphabet.indexOf(was) + 1) % alphabet.length];
      const changed = `${attestation.slice(0, i)}${now}${attestation.slice(i + 1)}`;
      if ((await check(changed)).ok) accepted.push(i);
    }
    expect(accepted).toEqual([]);
  });

  it('fails when the statement is signed by another member of the directory, or by a key it does not list', async () => {
    const attestation = (await verify(sbActive[3] as CredentialData)).attestation as string;
    const payload = json(parts(attestation)[1]);
    const claims = json(parts(payload.statement)[1]);
    // Northbank's own, listed key signs Southbank's statement; the registry's key countersigns it.
    const byNorthbank = await resign(keyOfShard('NB'), STATEMENT_TYPE, claims);
    const forged = await countersign(
      r.keys.registry.current,
      byNorthbank,
      payload.recognition,
      payload.countersignedAt,
    );
    const wrong = await checkFile(forged);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/WRONG_SIGNER.*municipality NB, not of municipality SB/);
    // A fresh key that claims Southbank's key id.
    const { privateKey } = generateKeyPairSync('ed25519');
    const impostor = { ...keyOfShard('SB'), privateKey };
    const unlisted = await countersign(
      r.keys.registry.current,
      await resign(impostor, STATEMENT_TYPE, claims),
      payload.recognition,
      payload.countersignedAt,
    );
    expect((await checkFile(unlisted)).stderr).toMatch(/SIGNATURE_MISMATCH/);
    const strange = await resign({ ...impostor, kid: 'SB.unlisted-key' }, STATEMENT_TYPE, claims);
    const out = await checkFile(
      await countersign(r.keys.registry.current, strange, payload.recognition, payload.countersignedAt),
    );
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/UNKNOWN_KEY.*SB\.unlisted-key, which the directory does not list/);
  });

  it("fails when the registry's countersignature is missing, or does not cover the outcome shown", async () => {
    const v = await verify(sbActive[4] as CredentialData);
    const attestation = v.attestation as string;
    const [header, body, signature] = parts(attestation);
    const payload = json(body);
    // The owner's statement alone.
    const alone = await checkFile(payload.statement);
    expect(alone.code).not.toBe(0);
    expect(alone.stderr).toMatch(/COUNTERSIGNATURE_MISSING/);
    // Another outcome under the registry's signature.
    const other = v.recognition.outcome === 'RECOGNISED' ? 'NOT_RECOGNISED' : 'RECOGNISED';
    const changed = { ...payload, recognition: { ...payload.recognition, outcome: other } };
    const out = await checkFile(`${header}.${encode(changed)}.${signature}`);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/SIGNATURE_MISMATCH.*registry's countersignature/);
    // The same, countersigned by a member that is not the registry (the gateway's listed key).
    const byGateway = await resign(r.keys.gateway.current, ATTESTATION_TYPE, changed);
    const notRegistry = await checkFile(byGateway);
    expect(notRegistry.code).not.toBe(0);
    expect(notRegistry.stderr).toMatch(/WRONG_SIGNER.*gateway gateway, not of registry/);
  });

  it('refuses a directory that the registry did not sign', async () => {
    const [header, body] = parts(readFileSync(join(dir, 'directory.jws'), 'utf8'));
    const doc = json(body);
    const { privateKey } = generateKeyPairSync('ed25519');
    const forgedDir = join(dir, 'forged-directory.jws');
    const signature = await resign(
      { ...r.keys.registry.current, privateKey },
      'crossgate-directory+jws',
      doc,
    );
    writeFileSync(forgedDir, `${header}.${parts(signature)[1]}.${parts(signature)[2]}`);
    const attestation = (await verify(sbActive[5] as CredentialData)).attestation as string;
    const file = join(dir, 'kept.jws');
    writeFileSync(file, attestation);
    const out = await cli(file, '--directory', forgedDir);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/the directory does not verify/);
  });

  it('cannot carry a statement under a key the directory does not list: the gateway refuses that answer first', async () => {
    const shard = r.shards.find((s) => s.spec.codes.includes('SB'));
    if (!shard) throw new Error('no Southbank shard');
    const listed = shard.keyring.current.kid;
    // Southbank switches to a key it never published: its answer, statement and all, is not its own.
    shard.keyring.activate(shard.keyring.createNext().kid);
    try {
      const res = await r.query(
        VERIFY,
        {
          id: idOf(sbActive[7] as CredentialData),
          code: (sbActive[7] as CredentialData).verificationCode,
          in: 'NB',
        },
        asEmployer('employer-att'),
      );
      expect(res.data?.verifyCredential ?? null).toBeNull();
      expect(res.errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'MUNICIPALITY_SIGNATURE_INVALID', municipality: 'SB' }),
        }),
      ]);
      expect(JSON.stringify(res)).not.toContain('crossgate-attestation');
    } finally {
      shard.keyring.activate(listed);
    }
  });
});

describe("the registry's own check of the statement it countersigns", () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Verification { attestation } } }`;
  /** What the gateway would send the registry for one verification, with `statement` as the owner's word. */
  async function askRegistry(statement: string) {
    const c = sbActive[9] as CredentialData;
    const found = await r.query(
      `query($id: ID!) { credential(id: $id) { id validFrom validUntil qualification { id eqfLevel } } }`,
      { id: idOf(c) },
      asOfficer('SB'),
    );
    expect(found.errors).toBeUndefined();
    const representation = {
      __typename: 'Verification',
      id: `verification-${c.localId}`,
      destination: 'NB',
      status: 'ACTIVE',
      credential: found.data.credential,
      statement,
    };
    const body = JSON.stringify({ query: ENTITIES, variables: { r: [representation] } });
    const headers = asEmployer('employer-att');
    const signed = signCall(
      r.keys.gateway.current,
      { method: 'POST', url: r.registryUrl, body, headers },
      NOON,
    );
    const { json } = await postJson(r.registryUrl, { ...headers, ...signed }, body);
    return json as {
      data?: { _entities: ({ attestation: string | null } | null)[] };
      errors?: { message: string; extensions?: { code?: string } }[];
    };
  }
  const statementBy = (key: MemberKey) => {
    const c = sbActive[9] as CredentialData;
    return signStatement(key, {
      method: 'verifyCredential',
      verification: `verification-${c.localId}`,
      credential: idOf(c),
      issuer: 'SB',
      valid: true,
      status: 'ACTIVE',
      destination: 'NB',
      verifier: 'employer-att',
      checkedAt: new Date(NOON).toISOString(),
    });
  };

  it("countersigns a statement under the owner's listed key", async () => {
    const answer = await askRegistry(await statementBy(keyOfShard('SB')));
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities[0]?.attestation).toEqual(expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/));
  });

  it('refuses, with a code, a statement under a key the directory does not list', async () => {
    const unlisted = MemberKeyring.open(mkdtempSync(join(tmpdir(), 'crossgate-unlisted-')), 'SB').current;
    const answer = await askRegistry(await statementBy(unlisted));
    expect(answer.data?._entities[0]?.attestation ?? null).toBeNull();
    expect(answer.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'ATTESTATION_UNAVAILABLE' }) }),
    ]);
    expect(answer.errors?.[0]?.message).toMatch(/does not countersign: .*which the directory does not list/);
  });
});

describe('the attestation of verifyPresentation', () => {
  it('is stated by the gateway, which asked no owner, countersigned by the registry, and checks offline', async () => {
    const c = sbActive[6] as CredentialData;
    const doc = await r.query(
      `query($id: ID!) { credentialDocument(id: $id, format: SD_JWT_VC) { document } }`,
      { id: idOf(c) },
      asOfficer('SB'),
    );
    expect(doc.errors).toBeUndefined();
    const presented = doc.data.credentialDocument.document as string;
    const res = await r.query(
      `query($p: String!) { verifyPresentation(presentation: $p, in: "NB") {
        id valid status attestation recognition { outcome } } }`,
      { p: presented },
      asEmployer('employer-att'),
    );
    expect(res.errors).toBeUndefined();
    const v = res.data.verifyPresentation;
    expect(v).toMatchObject({ valid: true, status: 'ACTIVE' });
    const out = await checkFile(v.attestation);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('by the gateway (a presented credential)');
    expect(out.stdout).toContain(r.keys.gateway.current.kid);
    const result = await check(v.attestation);
    if (!result.ok) throw new Error(result.reason);
    expect(result.check).toMatchObject({
      method: 'verifyPresentation',
      credential: idOf(c),
      issuer: 'SB',
      verification: v.id,
      verifier: 'employer-att',
      destination: 'NB',
    });
    expect(result.recognition?.outcome).toBe(v.recognition.outcome);
    // A presentation's statement relabelled as the owner's check names the wrong signer.
    const payload = json(parts(v.attestation)[1]);
    const claims = { ...json(parts(payload.statement)[1]), method: 'verifyCredential' };
    const relabelled = await countersign(
      r.keys.registry.current,
      await resign(r.keys.gateway.current, STATEMENT_TYPE, claims),
      payload.recognition,
      payload.countersignedAt,
    );
    expect(await check(relabelled)).toMatchObject({ ok: false, failure: 'WRONG_SIGNER' });
  });
});
