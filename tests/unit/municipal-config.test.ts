// Abuse cases of a municipal server's configuration: which adapter, which databases.
import { municipalConfigFromEnv } from '../../subgraphs/municipal/config';

const base = {
  MUNICIPALITY: 'LK',
  DATABASE: 'mysql://root@127.0.0.1:3306/lakeside',
  PORT: '0',
  KEY_DIR: '/srv/crossgate/keys',
  REGISTRY_URL: 'http://registry.test/graphql',
  REGISTRY_KEYS: JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'AAAA', kid: 'registry.test' }] }),
  POLICY_DIR: 'policies',
  JWKS_URL: 'https://idp.test/jwks.json',
  JWT_ISSUER: 'https://idp.test',
  JWT_AUDIENCE: 'crossgate',
};

describe('municipal configuration', () => {
  it('reads a legacy adapter with its reader and audit databases', () => {
    const config = municipalConfigFromEnv({
      ...base,
      ADAPTER: 'mariadb-register',
      READER_DATABASE: 'mysql://reader@127.0.0.1:3306/lakeside',
      AUDIT_DATABASE: '/srv/lakeside-audit',
    });
    expect(config).toMatchObject({
      adapter: 'mariadb-register',
      municipalities: ['LK'],
      readerDatabase: 'mysql://reader@127.0.0.1:3306/lakeside',
      auditDatabase: '/srv/lakeside-audit',
    });
  });

  it('keeps the native adapter as the default, auditing in its own database', () => {
    const config = municipalConfigFromEnv({ ...base, MUNICIPALITY: 'NB,SB' });
    expect(config.adapter).toBe('native');
    expect(config.auditDatabase).toBeUndefined();
  });

  it('bounds the own-records pool with DATABASE_POOL_SIZE, ten unless set, and refuses a size below one', () => {
    expect(municipalConfigFromEnv(base).databasePoolSize).toBe(10);
    expect(municipalConfigFromEnv({ ...base, DATABASE_POOL_SIZE: '2' }).databasePoolSize).toBe(2);
    expect(() => municipalConfigFromEnv({ ...base, DATABASE_POOL_SIZE: '0' })).toThrow(
      /- DATABASE_POOL_SIZE: /,
    );
  });

  it('refuses an unknown adapter, naming the ones it knows', () => {
    expect(() => municipalConfigFromEnv({ ...base, ADAPTER: 'oracle-forms' })).toThrow(
      /ADAPTER: .*"native".*"mariadb-register"/,
    );
  });

  it('refuses a legacy adapter over several municipalities or without an audit database', () => {
    expect(() =>
      municipalConfigFromEnv({
        ...base,
        MUNICIPALITY: 'LK,NB',
        ADAPTER: 'sqlite-camel',
        AUDIT_DATABASE: '/a',
      }),
    ).toThrow(/MUNICIPALITY: a legacy adapter holds exactly one municipality/);
    expect(() => municipalConfigFromEnv({ ...base, ADAPTER: 'sqlite-camel' })).toThrow(
      /AUDIT_DATABASE: a legacy adapter needs AUDIT_DATABASE/,
    );
  });

  it("refuses to start without the registry's public keys, the anchor of its directory", () => {
    const { REGISTRY_KEYS: _, ...withoutKeys } = base;
    expect(() => municipalConfigFromEnv(withoutKeys)).toThrow(/- REGISTRY_KEYS: /);
  });

  it('names REGISTRY_KEYS when it is not a JWKS with a key', () => {
    for (const text of ['{"keys":', '{"keys":[]}', '[]'])
      expect(() => municipalConfigFromEnv({ ...base, REGISTRY_KEYS: text })).toThrow(
        /- REGISTRY_KEYS: must be a JSON JWKS with at least one key/,
      );
  });

  it("refuses to start without the identity provider: it checks every caller's token itself", () => {
    const { JWKS_URL: _u, JWT_ISSUER: _i, JWT_AUDIENCE: _a, ...withoutProvider } = base;
    let message = '';
    try {
      municipalConfigFromEnv(withoutProvider);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/- JWKS_FILE or JWKS_URL: /);
    expect(message).toMatch(/- JWT_ISSUER: /);
    expect(message).toMatch(/- JWT_AUDIENCE: /);
    expect(municipalConfigFromEnv(base)).toMatchObject({
      tokenKeys: { kind: 'url', url: 'https://idp.test/jwks.json' },
      tokenIssuer: 'https://idp.test',
      tokenAudience: 'crossgate',
    });
  });
});
