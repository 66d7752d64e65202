// The region as separate processes, started by the servers' own entry points as a deployment starts
// them: they create their tables, seed nothing, answer through the gateway and stop cleanly on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compactVerify, type JWK } from 'jose';
import { request } from 'undici';
import { MemberKeyring } from '../../../common/member-keys';
import { openPostgres, pgConnectionOf } from '../../../common/postgres';
import {
  DEMO_AUDIENCE,
  DEMO_ISSUER,
  generateTrustMaterial,
  mintToken,
  type RegionMemberKeys,
  regionMemberKeys,
  type TrustMaterial,
} from '../../../scripts/region/keys';
import { isSeeded } from '../../../subgraphs/municipal/adapters/native/seed';
import { municipality } from '../../../subgraphs/registry/db/schema';

const ROOT = resolve(__dirname, '../../..');
/** Generous: three processes compile and start side by side on a busy machine. */
const READY_MS = 400_000;

interface RunningProcess {
  url: string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

const running: ChildProcess[] = [];

/** Starts `entry` with tsx and waits for its log line `ready` (pino JSON) to learn its address. */
function startProcess(entry: string, env: Record<string, string>, ready: string): Promise<RunningProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', MARIADB_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let output = '';
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(
      () => rejectStart(new Error(`${entry} was not ready within ${READY_MS} ms:\n${output}`)),
      READY_MS,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        if (!line.includes(`"msg":"${ready}"`)) continue;
        clearTimeout(timer);
        const url = (JSON.parse(line) as { url: string }).url;
        resolveStart({
          url,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rejectStart(new Error(`${entry} exited with code ${code} before it was ready:\n${output}`));
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function graphql(url: string, query: string, token: string) {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return (await res.body.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
}

const dir = mkdtempSync(join(tmpdir(), 'crossgate-processes-'));
let trust: TrustMaterial;
let keys: RegionMemberKeys;

beforeAll(async () => {
  trust = await generateTrustMaterial();
  keys = regionMemberKeys(join(dir, 'member-keys'), ['NB']);
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify(trust.jwks));
});

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe("the servers' own entry points", () => {
  it('start over empty databases, seed nothing, answer through the gateway and stop cleanly', async () => {
    const registryPort = await freePort();
    const registryDatabase = join(dir, 'empty-registry');
    const municipalDatabase = join(dir, 'empty-municipality');
    const [registry, municipal] = await Promise.all([
      startProcess(
        'subgraphs/registry/main.ts',
        {
          DATABASE: registryDatabase,
          PORT: String(registryPort),
          KEY_DIR: keys.dirs.registry,
          MEMBER_KEYS: JSON.stringify(keys.admitted),
          JWKS_FILE: join(dir, 'jwks.json'),
          JWT_ISSUER: DEMO_ISSUER,
          JWT_AUDIENCE: DEMO_AUDIENCE,
        },
        'registry listening',
      ),
      startProcess(
        'subgraphs/municipal/main.ts',
        {
          MUNICIPALITY: 'NB',
          DATABASE: municipalDatabase,
          PORT: '0',
          KEY_DIR: keys.dirs.municipalities.NB as string,
          REGISTRY_KEYS: JSON.stringify(keys.registryJwks),
          JWKS_FILE: join(dir, 'jwks.json'),
          JWT_ISSUER: DEMO_ISSUER,
          JWT_AUDIENCE: DEMO_AUDIENCE,
          POLICY_DIR: join(ROOT, 'policies'),
          REGISTRY_URL: `http://127.0.0.1:${registryPort}/graphql`,
          PUBLIC_GATEWAY_URL: 'https://crossgate.example',
        },
        'municipal subgraph listening',
      ),
    ]);
    const gateway = await startProcess(
      'gateway/main.ts',
      {
        GATEWAY_PORT: '0',
        REGISTRY_URL: registry.url,
        JWKS_FILE: join(dir, 'jwks.json'),
        JWT_ISSUER: DEMO_ISSUER,
        JWT_AUDIENCE: DEMO_AUDIENCE,
        KEY_DIR: keys.dirs.gateway,
        REGISTRY_KEYS: JSON.stringify(keys.registryJwks),
      },
      'gateway listening',
    );
    expect((await request(`${municipal.url}/health`)).statusCode).toBe(200);
    // The issuer is the member: its JWKS is the member key's public half, which signs an (empty) list.
    const memberKey = MemberKeyring.open(keys.dirs.municipalities.NB as string, 'NB').current;
    const jwks = (await (await request(`${municipal.url}/issuer/NB/jwks`)).body.json()) as { keys: JWK[] };
    expect(jwks.keys).toEqual([memberKey.publicJwk]);
    const issuerKey = createPublicKey(memberKey.privateKey);
    const list = await (await request(`${municipal.url}/issuer/NB/status/revocation`)).body.text();
    const { payload } = await compactVerify(list, issuerKey);
    expect(JSON.parse(new TextDecoder().decode(payload)).issuer).toBe('https://crossgate.example/issuers/NB');
    const token = await mintToken(trust.privateJwk, { subject: 'admin', role: 'registry_admin' });
    const answer = await graphql(gateway.url, '{ municipalities { code } }', token);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ municipalities: [] });
    expect(await gateway.stop()).toBe(0);
    expect(await registry.stop()).toBe(0);
    expect(await municipal.stop()).toBe(0);
    // The tables exist and hold nothing: the servers created them and seeded nothing.
    const registryHandle = await openPostgres(pgConnectionOf(registryDatabase));
    const members = await registryHandle.db.select({ code: municipality.code }).from(municipality);
    await registryHandle.close();
    expect(members).toEqual([]);
    const municipalHandle = await openPostgres(pgConnectionOf(municipalDatabase));
    const seeded = await isSeeded(municipalHandle);
    await municipalHandle.close();
    expect(seeded).toBe(false);
  }, 600_000);
});
