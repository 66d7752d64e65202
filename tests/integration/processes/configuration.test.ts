// Each entry point stops at start on a wrong configuration value, with exit status 1 and a message
// that names the variable and the rule; a configuration file is checked the same way.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnEntry } from '../../production/processes';

const dir = mkdtempSync(join(tmpdir(), 'crossgate-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A configuration that would start each process, but for the one wrong value each case sets. */
const GATEWAY = {
  GATEWAY_PORT: '0',
  REGISTRY_URL: 'http://127.0.0.1:9/graphql',
  JWKS_FILE: join(dir, 'jwks.json'),
  JWT_ISSUER: 'https://idp.test',
  JWT_AUDIENCE: 'crossgate',
  KEY_DIR: join(dir, 'gateway-keys'),
  REGISTRY_KEYS: '{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}',
};
/** The identity provider every member checks callers' tokens against. */
const IDENTITY_PROVIDER = {
  JWKS_FILE: join(dir, 'jwks.json'),
  JWT_ISSUER: 'https://idp.test',
  JWT_AUDIENCE: 'crossgate',
};
const REGISTRY = {
  DATABASE: join(dir, 'registry'),
  PORT: '0',
  KEY_DIR: join(dir, 'registry-keys'),
  ...IDENTITY_PROVIDER,
};
const MUNICIPAL = {
  ...IDENTITY_PROVIDER,
  MUNICIPALITY: 'NB',
  DATABASE: join(dir, 'nb'),
  PORT: '0',
  KEY_DIR: join(dir, 'nb-keys'),
  REGISTRY_KEYS: '{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}',
  REGISTRY_URL: 'http://127.0.0.1:9/graphql',
  POLICY_DIR: join(__dirname, '../../../policies'),
};

const CASES: { entry: string; env: Record<string, string>; kind: string; problem: RegExp }[] = [
  {
    entry: 'gateway/main.ts',
    env: { ...GATEWAY, SHARD_TIMEOUT_MS: 'soon' },
    kind: 'gateway',
    problem: /- SHARD_TIMEOUT_MS: .*expected number/,
  },
  {
    entry: 'gateway/main.ts',
    env: { ...GATEWAY, GATEWAY_WORKERS: '0' },
    kind: 'gateway',
    problem: /- GATEWAY_WORKERS: .*>=1/,
  },
  {
    entry: 'gateway/main.ts',
    env: { ...GATEWAY, MAX_INTROSPECTION_DEPTH: '3' },
    kind: 'gateway',
    problem: /- MAX_INTROSPECTION_DEPTH: must be at least 15/,
  },
  {
    entry: 'subgraphs/registry/main.ts',
    env: { ...REGISTRY, SIGNATURE_WINDOW_MS: '-5' },
    kind: 'registry',
    problem: /- SIGNATURE_WINDOW_MS: .*>0/,
  },
  {
    entry: 'scripts/region/demo-registry.ts',
    env: { ...REGISTRY, MEMBER_ENDPOINTS: '[{"code": "NB"' },
    kind: 'registry',
    problem: /- MEMBER_ENDPOINTS: must be a JSON list/,
  },
  {
    entry: 'subgraphs/registry/main.ts',
    env: { ...REGISTRY, MEMBER_KEYS: '[{"member": "NB", "role": "owner"}]' },
    kind: 'registry',
    problem: /- MEMBER_KEYS: must be a JSON list of \{member, role, jwk\}/,
  },
  {
    entry: 'subgraphs/municipal/main.ts',
    env: { ...MUNICIPAL, REGISTRY_KEYS: '{"keys":' },
    kind: 'municipal',
    problem: /- REGISTRY_KEYS: must be a JSON JWKS/,
  },
  {
    entry: 'subgraphs/municipal/main.ts',
    env: { ...MUNICIPAL, PORT: '70000' },
    kind: 'municipal',
    problem: /- PORT: .*<=65535/,
  },
  {
    entry: 'scripts/region/demo-municipality.ts',
    env: { ...MUNICIPAL, LOG_LEVEL: 'loud' },
    kind: 'municipal',
    problem: /- LOG_LEVEL: .*"info"/,
  },
];

async function stopsAtStart(entry: string, env: Record<string, string>) {
  const spawned = spawnEntry(entry, { LOG_LEVEL: 'info', ...env });
  const { code } = await spawned.exited;
  return { code, output: spawned.output() };
}

describe('a wrong configuration value', () => {
  it.each(CASES.map((c) => [`${c.entry} ${c.problem.source}`, c] as const))(
    'stops %s',
    async (_name, c) => {
      const { code, output } = await stopsAtStart(c.entry, c.env);
      expect(code).toBe(1);
      expect(output).toContain(`Invalid ${c.kind} configuration`);
      expect(output).toMatch(c.problem);
      // The process stopped before it listened anywhere.
      expect(output).not.toMatch(/listening/);
    },
    300_000,
  );

  it('in a configuration file stops the process too, naming the variable and the file', async () => {
    const file = join(dir, 'gateway.yaml');
    writeFileSync(file, 'SHARD_TIMEOUT_MS: -1\nNOT_A_SETTING: 3\n');
    const { code, output } = await stopsAtStart('gateway/main.ts', { ...GATEWAY, CROSSGATE_CONFIG: file });
    expect(code).toBe(1);
    expect(output).toContain(`NOT_A_SETTING (in ${file}): not a variable of the gateway`);
    writeFileSync(file, 'SHARD_TIMEOUT_MS: -1\n');
    const second = await stopsAtStart('gateway/main.ts', { ...GATEWAY, CROSSGATE_CONFIG: file });
    expect(second.code).toBe(1);
    expect(second.output).toMatch(/- SHARD_TIMEOUT_MS: .*>0/);
  }, 300_000);
});
