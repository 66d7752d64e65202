// A legacy register's status lists after a crash between its two steps: the register written, the
// side database not yet. The lists are read from the register, so after a restart they agree with it,
// and the write log is finished by the recovery; after a crash before the register write too.
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify } from 'jose';
import { bitAt, decodeBitstring, type StatusPurpose } from '../../common/credentials/status-list';
import { payloadHash } from '../../common/idempotency';
import { MemberKeyring } from '../../common/member-keys';
import { openPostgres, type PgHandle } from '../../common/postgres';
import { recordsOf } from '../../common/region-records';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import { fixtureIds } from '../../subgraphs/municipal/adapters/kit/fixtures';
import { withSideRecords } from '../../subgraphs/municipal/adapters/register-with-side-records';
import type {
  RegisterPlan,
  WriteFaults,
} from '../../subgraphs/municipal/adapters/register-writes-across-databases';
import { sqliteCamelAdapter } from '../../subgraphs/municipal/adapters/sqlite-camel';
import type { Issuing } from '../../subgraphs/municipal/issuing/issuer';
import { statusIndexes } from '../../subgraphs/municipal/issuing/status-indexes';
import { StatusListPublisher } from '../../subgraphs/municipal/issuing/status-lists';
import type { CredentialAction, MunicipalStore } from '../../subgraphs/municipal/store';

const CODE = 'SB';
const region = generateRegion({
  seed: 7,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 40,
  placementsPerMunicipality: 5,
});
const mine = recordsOf(region, [CODE]);
const ids = fixtureIds(sqliteCamelAdapter.mapping, mine);
const active = mine.credentials.filter((c) => c.status === 'ACTIVE');
const idOf = (n: number) => `${CODE}:${ids.credential.get(active[n]?.localId ?? '')}`;
const dir = mkdtempSync(join(tmpdir(), 'crossgate-status-crash-'));
const keyring = MemberKeyring.open(join(dir, 'keys'), CODE);
const registerFile = join(dir, 'register.sqlite');
const sideDir = join(dir, 'side');

interface Running {
  store: MunicipalStore;
  side: PgHandle;
  lists: StatusListPublisher;
  issuing: Issuing;
  faults: WriteFaults;
}

/** Opens the municipality as its process does at start: the recovery of pending writes runs first. */
async function start(): Promise<Running> {
  const faults: WriteFaults = {};
  const reader = await sqliteCamelAdapter.readOnlyAccess(registerFile);
  const side = await openPostgres({ kind: 'pglite', dataDir: sideDir });
  const store = await withSideRecords(
    await sqliteCamelAdapter.open({ reader, owner: registerFile }, CODE),
    side,
    faults,
  );
  const issuing: Issuing = {
    keyring,
    publicBaseUrl: () => 'https://crossgate.example',
    indexes: await statusIndexes(side),
    now: () => new Date('2026-11-01T12:00:00Z'),
    statusTtlSeconds: 60,
  };
  return { store, side, lists: new StatusListPublisher(store, issuing), issuing, faults };
}

async function stop(r: Running) {
  await r.store.close();
  await r.side.close();
}

async function bit(r: Running, purpose: StatusPurpose, position: number) {
  const { payload } = await compactVerify(
    await r.lists.list(CODE, purpose),
    createPublicKey(keyring.current.privateKey),
  );
  const vc = JSON.parse(new TextDecoder().decode(payload));
  return bitAt(decodeBitstring(vc.credentialSubject.encodedList), position);
}

function change(r: Running, id: string, action: CredentialAction, idempotencyKey: string) {
  const operation = `${action}Credential`;
  return r.store.changeCredentialState(id, action, {
    municipality: CODE,
    idempotencyKey,
    operation,
    payloadHash: payloadHash(operation, { payload: { id }, reason: 'test' }),
    actor: 'officer:sb-1',
    reason: 'test',
    at: '2026-11-01T10:00:00.000Z',
  });
}

function crashAt(faults: WriteFaults, point: keyof WriteFaults) {
  faults[point] = (_plan: RegisterPlan) => {
    faults[point] = undefined;
    throw new Error(`crash ${point}`);
  };
}

beforeAll(async () => {
  await sqliteCamelAdapter.seed(registerFile, region, CODE);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('status lists of a legacy register across a crash', () => {
  it('agree with the register after a crash between the register write and the side database', async () => {
    const first = await start();
    const revoked = idOf(0);
    const untouched = idOf(1);
    const [p0, p1] = [
      await first.issuing.indexes.positionOf(CODE, revoked),
      await first.issuing.indexes.positionOf(CODE, untouched),
    ];
    expect(await bit(first, 'revocation', p0)).toBe(false);
    crashAt(first.faults, 'afterRegister');
    await expect(change(first, revoked, 'revoke', 'crash-revoke-1')).rejects.toThrow('crash afterRegister');
    await stop(first);

    const second = await start();
    expect(await second.store.credentialsByIds([revoked])).toMatchObject([{ state: 'REVOKED' }]);
    expect(await bit(second, 'revocation', p0)).toBe(true);
    expect(await bit(second, 'revocation', p1)).toBe(false);
    expect(await bit(second, 'suspension', p0)).toBe(false);
    // The recovery finished the write log: the status history has the revocation and its date.
    const [history] = await second.store.historyOf([revoked]);
    expect(history?.map((h) => [h.operation, h.at])).toEqual([
      ['revokeCredential', '2026-11-01T10:00:00.000Z'],
    ]);
    await stop(second);
  }, 300_000);

  it('agree with the register after a crash before the register write, whichever way recovery went', async () => {
    const first = await start();
    const id = idOf(2);
    const position = await first.issuing.indexes.positionOf(CODE, id);
    crashAt(first.faults, 'beforeRegister');
    await expect(change(first, id, 'suspend', 'crash-suspend-1')).rejects.toThrow('crash beforeRegister');
    await stop(first);
    const second = await start();
    const [record] = await second.store.credentialsByIds([id]);
    const suspended = record && !(record instanceof Error) && record.state === 'SUSPENDED';
    expect(await bit(second, 'suspension', position)).toBe(suspended);
    expect(await second.issuing.indexes.positionOf(CODE, id)).toBe(position);
    await stop(second);
  }, 300_000);
});
