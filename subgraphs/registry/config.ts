// The registry's configuration: its database, its port, the demo's member endpoints, signatures.
import { z } from 'zod';
import { configVariables, LOG_LEVELS, parseConfig } from '../../common/config';

const Endpoints = z.array(z.object({ code: z.string(), credentialsUrl: z.url(), workforceUrl: z.url() }));

export const RegistryConfigSchema = z.object({
  database: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().default('127.0.0.1'),
  /** JSON list of {code, credentialsUrl, workforceUrl}: the demo's member endpoints. */
  memberEndpoints: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return [];
      let json: unknown;
      try {
        json = JSON.parse(s);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a JSON list of {code, credentialsUrl, workforceUrl}',
        });
        return z.NEVER;
      }
      const endpoints = Endpoints.safeParse(json);
      if (!endpoints.success) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a JSON list of {code, credentialsUrl, workforceUrl}: ${endpoints.error.issues[0]?.message}`,
        });
        return z.NEVER;
      }
      return endpoints.data;
    }),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  /** Secrets that signatures may use: the current one, then any honoured during a rotation. */
  subgraphSecrets: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.string().min(32, 'each subgraph secret must be at least 32 characters')).min(1)),
  /** How far a signed request's timestamp may drift from this server's clock. */
  signatureWindowMs: z.coerce.number().int().positive().default(60_000),
  /** When set, replicas of the registry share the nonce cache (replay protection) in this Redis. */
  redisUrl: z.string().optional(),
  /** On SIGTERM, how long requests in flight may run before the process exits anyway. */
  shutdownGraceMs: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** The region's supergraph, published at GET /supergraph for gateways to reload from. */
  supergraphFile: z.string().min(1).optional(),
});

export type RegistryConfig = z.infer<typeof RegistryConfigSchema>;

/** The variable behind each key. */
export const REGISTRY_VARIABLES = {
  database: 'DATABASE',
  port: 'PORT',
  host: 'HOST',
  memberEndpoints: 'MEMBER_ENDPOINTS',
  logLevel: 'LOG_LEVEL',
  subgraphSecrets: 'SUBGRAPH_SECRET',
  signatureWindowMs: 'SIGNATURE_WINDOW_MS',
  redisUrl: 'REDIS_URL',
  shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
  supergraphFile: 'SUPERGRAPH_FILE',
} as const satisfies Record<keyof RegistryConfig, string>;

/** The registry's configuration from the environment (and CROSSGATE_CONFIG's file); throws naming each problem. */
export function registryConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const vars = configVariables('registry', env, Object.values(REGISTRY_VARIABLES));
  const input: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(REGISTRY_VARIABLES)) input[key] = vars[variable];
  return parseConfig('registry', RegistryConfigSchema, input, REGISTRY_VARIABLES);
}
