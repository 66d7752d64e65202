// Opening a municipality's data from its configuration: the native schema or a legacy register, seeded
// only with the records its entry point passes in and only while empty.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { silentLogger } from '../../../common/logger';
import { DEMO_MUNICIPALITIES } from '../../../scripts/seed/catalogue';
import { generateRegion } from '../../../scripts/seed/region';
import { municipalConfigFromEnv } from '../../../subgraphs/municipal/config';
import { openMunicipalData } from '../../../subgraphs/municipal/open-store';

const ROOT = resolve(__dirname, '../../..');
const SERVER = process.env.CROSSGATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dir = mkdtempSync(join(tmpdir(), 'crossgate-open-store-'));
const small = (seed: number) =>
  generateRegion({
    seed,
    municipalities: DEMO_MUNICIPALITIES,
    holdersPerMunicipality: 12,
    placementsPerMunicipality: 15,
  });

function configOf(env: Record<string, string>) {
  return municipalConfigFromEnv({
    PORT: '0',
    KEY_DIR: '/srv/crossgate/keys',
    REGISTRY_URL: 'http://registry.test/graphql',
    REGISTRY_KEYS: JSON.stringify({
      keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'AAAA', kid: 'registry.test' }],
    }),
    POLICY_DIR: join(ROOT, 'policies'),
    JWKS_URL: 'https://idp.test/jwks.json',
    JWT_ISSUER: 'https://idp.test',
    JWT_AUDIENCE: 'crossgate',
    ...env,
  });
}

async function credentialTotal(
  config: ReturnType<typeof configOf>,
  demoRegion?: () => ReturnType<typeof small>,
) {
  const data = await openMunicipalData(config, silentLogger, demoRegion);
  try {
    return (await data.store.credentialPage({ municipalities: null, after: null, first: 1 })).total;
  } finally {
    await data.close();
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openMunicipalData', () => {
  it('opens the native schema empty without records, seeds it once when given some, never again', async () => {
    const config = configOf({ MUNICIPALITY: 'NB,SB', DATABASE: join(dir, 'native') });
    const region = small(7);
    const expected = region.credentials.filter((c) => ['NB', 'SB'].includes(c.municipality)).length;
    expect(expected).toBeGreaterThan(0);

    expect(await credentialTotal(config)).toBe(0);
    let asked = 0;
    const counted = () => {
      asked++;
      return region;
    };
    expect(await credentialTotal(config, counted)).toBe(expected);
    expect(asked).toBe(1);
    // Seeded already: the next start neither asks for records nor writes them.
    expect(await credentialTotal(config, counted)).toBe(expected);
    expect(asked).toBe(1);
  });

  it('opens a legacy register with its side database, seeding its own municipality only while empty', async () => {
    const config = configOf({
      MUNICIPALITY: 'SB',
      ADAPTER: 'sqlite-camel',
      DATABASE: join(dir, 'southbank.sqlite'),
      AUDIT_DATABASE: join(dir, 'southbank-side'),
    });
    const region = small(8);
    const expected = region.credentials.filter((c) => c.municipality === 'SB').length;
    expect(await credentialTotal(config, () => region)).toBe(expected);
    // Another region offered later changes nothing: the register is no longer empty.
    expect(await credentialTotal(config, () => small(9))).toBe(expected);
  });

  it('holds its pool on a PostgreSQL server to DATABASE_POOL_SIZE connections, however many queries wait', async () => {
    const name = `crossgate_pool_${process.pid}`;
    const admin = new Client({ connectionString: SERVER });
    await admin.connect();
    const connections = async () =>
      Number(
        (
          await admin.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [
            name,
          ])
        ).rows[0]?.n,
      );
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(SERVER);
      url.pathname = `/${name}`;
      for (const [size, expected] of [
        ['1', 1],
        ['3', 3],
      ] as const) {
        const config = configOf({ MUNICIPALITY: 'NB', DATABASE: url.toString(), DATABASE_POOL_SIZE: size });
        expect(config.databasePoolSize).toBe(expected);
        const data = await openMunicipalData(config, silentLogger);
        try {
          // Six queries at once: a pool of ten would open six connections and keep them idle after.
          await Promise.all(
            Array.from({ length: 6 }, () => data.ownRecords.db.execute(sql`SELECT pg_sleep(0.05)`)),
          );
          expect(await connections()).toBe(expected);
        } finally {
          await data.close();
          // A pool's end() resolves before the server's backends have gone: wait until they have, so
          // that the next size counts its own connections and the drop below cuts none.
          for (let i = 0; i < 600 && (await connections()) > 0; i++)
            await new Promise((r) => setTimeout(r, 100));
        }
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
