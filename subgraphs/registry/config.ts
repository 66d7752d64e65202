// The registry's configuration: its database, its port, the demo's member endpoints, its keys.
import { z } from 'zod';
import {
  configInput,
  configVariables,
  IDENTITY_PROVIDER_VARIABLES,
  identityProviderFields,
  LOG_LEVELS,
  parseConfig,
  variableNamesOf,
} from '../../common/config';
import { MEMBER_ROLES } from '../../common/key-directory';

const Endpoints = z.array(z.object({ code: z.string(), credentialsUrl: z.url(), workforceUrl: z.url() }));

const AdmittedKeys = z.array(
  z.object({ member: z.string().min(1), role: z.enum(MEMBER_ROLES), jwk: z.record(z.string(), z.unknown()) }),
);

/** A JSON list checked against a schema (absent: empty); a problem becomes an issue naming what was expected. */
function jsonList<T>(schema: z.ZodType<T[]>, expected: string) {
  return (s: string | undefined, ctx: z.core.$RefinementCtx<string | undefined>): T[] => {
    if (!s) return [];
    let json: unknown;
    try {
      json = JSON.parse(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be ${expected}` });
      return z.NEVER;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: `must be ${expected}: ${parsed.error.issues[0]?.message}` });
      return z.NEVER;
    }
    return parsed.data;
  };
}

export const RegistryConfigSchema = z.object({
  database: z.string().min(1),
  /** Connections the pool opens on a PostgreSQL server. */
  databasePoolSize: z.coerce.number().int().min(1).max(100).default(10),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().default('127.0.0.1'),
  /** JSON list of {code, credentialsUrl, workforceUrl}: the demo's member endpoints. */
  memberEndpoints: z
    .string()
    .optional()
    .transform(jsonList(Endpoints, 'a JSON list of {code, credentialsUrl, workforceUrl}')),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  /** The registry's data folder for its own key pair (created on first start, never shared). */
  keyDir: z.string().min(1),
  /** JSON list of {member, role, jwk}: members' public keys admitted at start (the demo's operator passes them). */
  memberKeys: z.string().optional().transform(jsonList(AdmittedKeys, 'a JSON list of {member, role, jwk}')),
  /** How long the registry's copy of the key table is used before it is read again. */
  directoryTtlMs: z.coerce.number().int().positive().default(30_000),
  /** How far a signed request's timestamp may drift from this server's clock. */
  signatureWindowMs: z.coerce.number().int().positive().default(60_000),
  /** When set, replicas of the registry share the nonce cache (replay protection) in this Redis. */
  redisUrl: z.string().optional(),
  /** On SIGTERM, how long requests in flight may run before the process exits anyway. */
  shutdownGraceMs: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** The region's supergraph, published at GET /supergraph for gateways to reload from. */
  supergraphFile: z.string().min(1).optional(),
  /**
   * The region's identity provider: the registry decides on governance writes by the role in the
   * caller's token, checked here against its keys, never by the gateway's word.
   */
  ...identityProviderFields,
});

export type RegistryConfig = z.infer<typeof RegistryConfigSchema>;

/** The variable behind each key. */
export const REGISTRY_VARIABLES = {
  database: 'DATABASE',
  databasePoolSize: 'DATABASE_POOL_SIZE',
  port: 'PORT',
  host: 'HOST',
  memberEndpoints: 'MEMBER_ENDPOINTS',
  logLevel: 'LOG_LEVEL',
  keyDir: 'KEY_DIR',
  memberKeys: 'MEMBER_KEYS',
  directoryTtlMs: 'DIRECTORY_TTL_MS',
  signatureWindowMs: 'SIGNATURE_WINDOW_MS',
  redisUrl: 'REDIS_URL',
  shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
  supergraphFile: 'SUPERGRAPH_FILE',
  ...IDENTITY_PROVIDER_VARIABLES,
} as const satisfies Record<keyof RegistryConfig, string>;

/** Every variable the registry reads, for its configuration file too. */
export const REGISTRY_VARIABLE_NAMES = variableNamesOf(REGISTRY_VARIABLES);

/** The registry's configuration from the environment (and CROSSGATE_CONFIG's file); throws naming each problem. */
export function registryConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const vars = configVariables('registry', env, REGISTRY_VARIABLE_NAMES);
  const input = configInput(REGISTRY_VARIABLES, vars);
  return parseConfig('registry', RegistryConfigSchema, input, REGISTRY_VARIABLES);
}
