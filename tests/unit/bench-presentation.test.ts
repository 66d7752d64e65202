// The benchmark workload "an employer verifies a presented SD-JWT VC": the holder's presentation it
// makes verifies with the name withheld, its request bodies, and the answer check that guards its load.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerProblem, presentationBodies, presentationOf } from '../../bench/presentation/workload';
import { signSdJwtVc } from '../../common/credentials/sign';
import { emptyBitstring } from '../../common/credentials/status-list';
import { verifyPresented } from '../../common/credentials/verify-presented';
import { MemberKeyring } from '../../common/member-keys';

const dir = mkdtempSync(join(tmpdir(), 'crossgate-bench-presentation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keyring = MemberKeyring.open(dir, 'SB');
const ISSUER = 'https://crossgate.example/issuers/SB';

async function issued(): Promise<string> {
  return signSdJwtVc(
    {
      credentialId: 'SB:C-000001',
      municipality: 'SB',
      issuerUrl: ISSUER,
      holderName: 'Ada Example',
      qualification: { id: 'SB:Q-002', code: 'EL-4', title: 'Electrician', eqfLevel: 4, iscoCode: '7411' },
      validFrom: '2026-01-01',
      validUntil: null,
      status: {
        index: 42,
        lists: { revocation: `${ISSUER}/status/revocation`, suspension: `${ISSUER}/status/suspension` },
      },
    },
    keyring.current,
    new Date('2026-11-01T12:00:00Z'),
  );
}

const verify = (presentation: string) =>
  verifyPresented(presentation, {
    issuerKeys: async (m) => (m === 'SB' ? [keyring.current.publicJwk] : null),
    statusBits: async () => emptyBitstring(),
    today: '2026-11-01',
  });

describe('the presented SD-JWT VC workload', () => {
  it('presents the issued SD-JWT VC without the name disclosure, and it verifies', async () => {
    const document = await issued();
    const presentation = presentationOf(document, (claim) => claim !== 'name');
    expect(presentation).toBe(`${document.split('~')[0]}~`);
    const check = await verify(presentation);
    expect(check).toMatchObject({ valid: true, status: 'ACTIVE', facts: { holderName: null } });
    const everything = presentationOf(document, () => true);
    expect(everything).toBe(document);
    expect(await verify(everything)).toMatchObject({ valid: true, facts: { holderName: 'Ada Example' } });
  });

  it('refuses to present what is not an SD-JWT', () => {
    expect(() => presentationOf('not-a-jwt~', () => true)).toThrow(/not an SD-JWT/);
  });

  it('posts the presentation and the code-based check of the same credential as variables', () => {
    const bodies = presentationBodies({
      presentation: 'h.p.s~',
      credentialId: 'SB:C-000001',
      credentialCode: 'K7Q2-XW',
      verifyIn: 'NB',
    });
    const presented = JSON.parse(bodies.presentation);
    expect(presented.query).toMatch(/verifyPresentation\(presentation: \$presentation, in: \$in\)/);
    expect(presented.variables).toEqual({ presentation: 'h.p.s~', in: 'NB' });
    const code = JSON.parse(bodies.code);
    expect(code.query).toMatch(/verifyCredential\(id: \$id, code: \$code, in: \$in\)/);
    expect(code.variables).toEqual({ id: 'SB:C-000001', code: 'K7Q2-XW', in: 'NB' });
  });

  it('lets the load start only on a valid, ACTIVE answer with a recognition, the name withheld', () => {
    const answer = (v: object | null, errors?: { message: string }[]) => ({
      data: { verifyPresentation: v },
      errors,
    });
    const good = {
      valid: true,
      status: 'ACTIVE',
      credential: { holderName: '' },
      recognition: { outcome: 'RECOGNISED' },
    };
    expect(answerProblem(answer(good), 'verifyPresentation', true)).toBeNull();
    expect(answerProblem(answer({ ...good, valid: false }), 'verifyPresentation', true)).toMatch(/not valid/);
    expect(answerProblem(answer({ ...good, recognition: null }), 'verifyPresentation', true)).toMatch(
      /no recognition/,
    );
    expect(
      answerProblem(answer({ ...good, credential: { holderName: 'Ada' } }), 'verifyPresentation', true),
    ).toMatch(/withheld/);
    expect(answerProblem(answer(good, [{ message: 'boom' }]), 'verifyPresentation', true)).toMatch(/boom/);
    expect(answerProblem(answer(null), 'verifyPresentation', true)).toMatch(/no verifyPresentation/);
  });
});
