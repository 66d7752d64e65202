// Credentials that travel, through real servers: documents signed with the issuer's member key, its
// published keys and status lists, and verifyPresentation at the gateway, with each way a presentation can fail.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CompactSign, compactVerify, createLocalJWKSet, createRemoteJWKSet, type JWK } from 'jose';
import { request } from 'undici';
import type { CredentialData } from '../../common/region-records';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import { saveIssuers, verifyOffline } from '../../scripts/verifier/offline';
import { asEmployer, asOfficer } from '../support/callers';
import { type InProcessRegion, startRegion } from '../support/in-process';

const TODAY = '2026-11-01';
const region = generateRegion({
  seed: 16,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 80,
  placementsPerMunicipality: 10,
});
let r: InProcessRegion;

beforeAll(async () => {
  r = await startRegion({
    region,
    today: TODAY,
    now: () => new Date(`${TODAY}T12:00:00Z`),
    trust: { now: () => Date.parse(`${TODAY}T12:00:00Z`) },
    gatewayDeps: { now: () => Date.parse(`${TODAY}T12:00:00Z`) },
  });
}, 600_000);
afterAll(() => r?.close());

const idOf = (c: CredentialData) => `${c.municipality}:${c.localId}`;
const sbShard = () => {
  const sb = r.shards.find((s) => s.spec.codes.includes('SB'));
  if (!sb) throw new Error('no SB shard');
  return sb;
};
const live = (c: CredentialData) =>
  c.status === 'ACTIVE' && c.validFrom <= TODAY && (c.validUntil === null || c.validUntil >= TODAY);
const sbElectricians = region.credentials.filter(
  (c) => c.municipality === 'SB' && c.qualificationLocalId === 'Q-002' && live(c),
);
const pick = (n: number) => {
  const c = sbElectricians[n];
  if (!c) throw new Error('seed lacks enough active SB electricians');
  return c;
};
const holderOf = (c: CredentialData) =>
  region.holders.find((h) => h.municipality === c.municipality && h.localId === c.holderLocalId);

const DOCUMENT = `query($id: ID!, $format: CredentialFormat!) {
  credentialDocument(id: $id, format: $format) { credentialId format mediaType issuer statusListIndex document }
}`;
const PRESENT = `query($p: String!, $in: ID!) {
  verifyPresentation(presentation: $p, in: $in) {
    valid failure status destination
    credential { id issuer { code } holderName validFrom validUntil qualification { id code eqfLevel } }
    recognition { outcome reason }
  }
}`;

async function documentOf(c: CredentialData, format: 'VC_JWT' | 'SD_JWT_VC') {
  const res = await r.query(DOCUMENT, { id: idOf(c), format }, asOfficer(c.municipality));
  expect(res.errors).toBeUndefined();
  return res.data.credentialDocument as { document: string; issuer: string; statusListIndex: number };
}
const present = async (p: string, destination = 'NB') => {
  const res = await r.query(PRESENT, { p, in: destination }, asEmployer());
  expect(res.errors).toBeUndefined();
  return res.data.verifyPresentation;
};
const get = async (path: string) => {
  const res = await request(`${r.gateway.url}${path}`);
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
};
const b64json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const digest = (disclosure: string) => createHash('sha256').update(disclosure).digest('base64url');

/** The status bit of `index`, decoded as the W3C Recommendation says, by hand. */
function bitFromList(payload: { credentialSubject: { encodedList: string } }, index: number) {
  const encoded = payload.credentialSubject.encodedList;
  expect(encoded.startsWith('u')).toBe(true);
  const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  return { length: bytes.length * 8, set: ((bytes[Math.floor(index / 8)] ?? 0) >> (7 - (index % 8))) & 1 };
}

describe('credential documents', () => {
  it('signs a VC 2.0 achievement that plain jose verifies with the key served at the issuer URL', async () => {
    const c = pick(0);
    const doc = await documentOf(c, 'VC_JWT');
    expect(doc.issuer).toBe(`${r.gateway.url}/issuers/SB`);
    const jwks = createRemoteJWKSet(new URL(`${r.gateway.url}/issuers/SB/jwks`));
    const { payload, protectedHeader } = await compactVerify(doc.document, jwks);
    expect(protectedHeader).toMatchObject({
      alg: 'EdDSA',
      typ: 'vc+jwt',
      kid: sbShard().keyring.current.kid,
    });
    const vc = JSON.parse(new TextDecoder().decode(payload));
    expect(vc.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(vc.issuer.id).toBe(doc.issuer);
    expect(vc.credentialSubject.name).toBe(holderOf(c)?.displayName);
    const frameworks = vc.credentialSubject.achievement.alignment.map(
      (a: { targetFramework: string }) => a.targetFramework,
    );
    expect(frameworks).toEqual(expect.arrayContaining(['ISCO-08', 'EQF']));
    expect(vc.credentialStatus.map((s: { statusPurpose: string }) => s.statusPurpose).sort()).toEqual([
      'revocation',
      'suspension',
    ]);
  });

  it('signs an SD-JWT VC whose name is a disclosure matching a signed digest (checked by hand)', async () => {
    const c = pick(1);
    const doc = await documentOf(c, 'SD_JWT_VC');
    const [jws, ...disclosures] = doc.document.split('~');
    const meta = await get('/.well-known/jwt-vc-issuer/issuers/SB');
    expect(meta.status).toBe(200);
    const metadata = JSON.parse(meta.body);
    const { payload } = await compactVerify(jws as string, createLocalJWKSet(metadata.jwks));
    const claims = JSON.parse(new TextDecoder().decode(payload));
    expect(claims.iss).toBe(metadata.issuer);
    expect(claims.name).toBeUndefined();
    expect(claims._sd_alg).toBe('sha-256');
    const named = disclosures.filter(Boolean).map((d) => ({ d, value: b64json(d) }));
    const name = named.find((n) => n.value[1] === 'name');
    expect(name?.value[2]).toBe(holderOf(c)?.displayName);
    expect(claims._sd).toContain(digest(name?.d as string));
    expect(claims.occupation).toMatchObject({ isco_08: expect.any(String), eqf_level: expect.any(Number) });
  });

  it("serves as the issuer's JWKS the member's own keys, those the registry's directory lists", async () => {
    const served = JSON.parse((await get('/issuers/SB/jwks')).body).keys as JWK[];
    expect(served).toEqual(
      sbShard()
        .keyring.all()
        .map((k) => k.publicJwk),
    );
    const listed = await r.registry.memberKeys.directory([]);
    const sbKeys = listed.keys.filter((k) => k.member === 'SB').map((k) => k.jwk);
    expect(sbKeys).toEqual(served);
  });

  it('refuses an officer of another municipality and an employer', async () => {
    const c = pick(0);
    const other = await r.query(DOCUMENT, { id: idOf(c), format: 'VC_JWT' }, asOfficer('NB'));
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const employer = await r.query(DOCUMENT, { id: idOf(c), format: 'VC_JWT' }, asEmployer());
    expect(employer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('verifyPresentation', () => {
  it('verifies a presentation without the name disclosure and explains its recognition', async () => {
    const c = pick(2);
    const doc = await documentOf(c, 'SD_JWT_VC');
    // The holder's presentation, made by hand as the SD-JWT specification says: disclosures dropped.
    const withoutName = `${doc.document.split('~')[0]}~`;
    const v = await present(withoutName);
    expect(v).toMatchObject({ valid: true, failure: null, status: 'ACTIVE', destination: 'NB' });
    expect(v.credential).toMatchObject({ id: idOf(c), issuer: { code: 'SB' }, holderName: '' });
    expect(v.recognition.outcome).toEqual(expect.any(String));
    const full = await present(doc.document);
    expect(full.credential.holderName).toBe(holderOf(c)?.displayName);
  });

  it('refuses a changed disclosure, a forged signature, a truncated text and an unknown issuer', async () => {
    const c = pick(3);
    const doc = await documentOf(c, 'SD_JWT_VC');
    const [jws, disclosure] = doc.document.split('~') as [string, string];
    const [salt] = b64json(disclosure);
    const changed = Buffer.from(JSON.stringify([salt, 'name', 'Somebody Else'])).toString('base64url');
    expect((await present(`${jws}~${changed}~`)).failure).toBe('DISCLOSURE_INVALID');
    const [h, p, s] = jws.split('.') as [string, string, string];
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    expect((await present(`${h}.${p}.${flipped}~`)).failure).toBe('SIGNATURE_MISMATCH');
    expect((await present(doc.document.slice(0, 40))).failure).toBe('MALFORMED');
    const vc = await documentOf(c, 'VC_JWT');
    const claims = b64json(vc.document.split('.')[1] as string);
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const forged = await new CompactSign(
      Buffer.from(JSON.stringify({ ...claims, issuer: { id: 'https://elsewhere.example/issuers/ZZ' } })),
    )
      .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt' })
      .sign(stranger);
    const unknown = await present(forged);
    expect(unknown).toMatchObject({ valid: false, failure: 'UNKNOWN_ISSUER', credential: null });
    const posing = await new CompactSign(Buffer.from(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt' })
      .sign(stranger);
    expect((await present(posing)).failure).toBe('SIGNATURE_MISMATCH');
  });

  it("refuses a credential signed by the member's key that the directory does not list, though its JWKS shows it", async () => {
    const sb = sbShard();
    const vc = await documentOf(pick(3), 'VC_JWT');
    const claims = b64json(vc.document.split('.')[1] as string);
    // The member's next key, held and served in its JWKS but not yet published by the registry.
    const next = sb.keyring.createNext();
    try {
      const served = JSON.parse((await get('/issuers/SB/jwks')).body).keys as JWK[];
      expect(served.map((k) => k.kid)).toContain(next.kid);
      const signed = await new CompactSign(Buffer.from(JSON.stringify(claims)))
        .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: next.kid })
        .sign(next.privateKey);
      expect(await present(signed)).toMatchObject({
        valid: false,
        failure: 'SIGNATURE_MISMATCH',
        credential: null,
      });
    } finally {
      sb.keyring.retire(next.kid);
    }
  });

  it('is invalid for an expired credential', async () => {
    const c = region.credentials.find(
      (x) =>
        x.municipality === 'SB' && x.status === 'ACTIVE' && x.validUntil !== null && x.validUntil < TODAY,
    );
    if (!c) throw new Error('seed lacks an expired SB credential');
    const v = await present((await documentOf(c, 'VC_JWT')).document);
    expect(v).toMatchObject({ valid: false, failure: 'EXPIRED', status: 'EXPIRED' });
  });

  it('flips the status bit on revocation, and the very next verification is REVOKED', async () => {
    const c = pick(4);
    const doc = await documentOf(c, 'SD_JWT_VC');
    expect((await present(doc.document)).valid).toBe(true);
    const before = await get('/issuers/SB/status/revocation');
    expect(before.headers['cache-control']).toMatch(/max-age=\d+/);
    const sbKeys = JSON.parse((await get('/issuers/SB/jwks')).body).keys as JWK[];
    const listBefore = JSON.parse(
      new TextDecoder().decode(
        (await compactVerify(before.body, createLocalJWKSet({ keys: sbKeys }))).payload,
      ),
    );
    expect(bitFromList(listBefore, doc.statusListIndex)).toEqual({ length: 131_072, set: 0 });
    const revoked = await r.query(
      `mutation($id: ID!) { revokeCredential(id: $id, idempotencyKey: "travel-revoke-1", reason: "Obtained by fraud") { status } }`,
      { id: idOf(c) },
      asOfficer('SB'),
    );
    expect(revoked.errors).toBeUndefined();
    const v = await present(doc.document);
    expect(v).toMatchObject({ valid: false, failure: 'REVOKED', status: 'REVOKED' });
    expect(v.recognition).toMatchObject({ outcome: 'NOT_RECOGNISED', reason: 'REVOKED' });
    const after = await get('/issuers/SB/status/revocation');
    const listAfter = JSON.parse(
      new TextDecoder().decode(
        (await compactVerify(after.body, createLocalJWKSet({ keys: sbKeys }))).payload,
      ),
    );
    expect(bitFromList(listAfter, doc.statusListIndex).set).toBe(1);
  });

  it('fetches no status list from the issuer while the gateway holds a fresh one', async () => {
    const sb = sbShard();
    const statusFetches = async () => {
      const counter = sb.metrics.registry.getSingleMetric('crossgate_http_requests_total');
      const { values } = (await counter?.get()) ?? { values: [] };
      return values
        .filter((v) => String(v.labels.route).startsWith('/issuer/SB/status/'))
        .reduce((sum, v) => sum + v.value, 0);
    };
    const other = region.credentials.find(
      (c) => c.municipality === 'SB' && live(c) && !sbElectricians.includes(c),
    );
    if (!other) throw new Error('seed lacks an active SB credential of another qualification');
    const doc = await documentOf(other, 'SD_JWT_VC');
    expect((await present(doc.document)).valid).toBe(true);
    const warmed = await statusFetches();
    expect(warmed).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) expect((await present(doc.document)).valid).toBe(true);
    expect(await statusFetches()).toBe(warmed);
  });

  it('answers bad arguments with a coded error', async () => {
    const res = await r.query(PRESENT, { p: 'x', in: 'nowhere' }, asEmployer());
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('npm run verify-vc (offline)', () => {
  it("verifies from the saved directory's keys and saved lists, says their age, and sees a revocation only once saved again", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossgate-verifier-'));
    try {
      const c = pick(5);
      const doc = await documentOf(c, 'SD_JWT_VC');
      const presented = `${doc.document.split('~')[0]}~`;
      await saveIssuers(r.gateway.url, ['SB', 'NB'], dir);
      const now = new Date(`${TODAY}T12:00:00Z`);
      const first = await verifyOffline(presented, 'NB', dir, now);
      expect(first).toMatchObject({ valid: true, status: 'ACTIVE', credential: { credentialId: idOf(c) } });
      expect(first.evidence.statusLists).toEqual([
        expect.stringMatching(/^SB revocation list signed \d+ min ago/),
        expect.stringMatching(/^SB suspension list signed \d+ min ago/),
      ]);
      const revoked = await r.query(
        `mutation($id: ID!) { revokeCredential(id: $id, idempotencyKey: "travel-revoke-2", reason: "Withdrawn") { status } }`,
        { id: idOf(c) },
        asOfficer('SB'),
      );
      expect(revoked.errors).toBeUndefined();
      expect((await verifyOffline(presented, 'NB', dir, now)).valid).toBe(true);
      await saveIssuers(r.gateway.url, ['SB', 'NB'], dir);
      expect(await verifyOffline(presented, 'NB', dir, now)).toMatchObject({
        valid: false,
        failure: 'REVOKED',
      });
      const forged = await verifyOffline(`${presented.slice(0, -10)}~`, 'NB', dir, now);
      expect(forged.valid).toBe(false);
      // The saved directory holds only under the registry's keys when they are pinned.
      const registryKeys = r.keys.registry.all().map((k) => k.publicJwk);
      expect((await verifyOffline(presented, 'NB', dir, now, registryKeys)).failure).toBe('REVOKED');
      await expect(
        verifyOffline(presented, 'NB', dir, now, [r.keys.gateway.current.publicJwk]),
      ).rejects.toThrow(/does not verify/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
