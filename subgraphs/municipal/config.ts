// A municipal server's configuration: which municipality, which database, which port.
import { z } from 'zod';

const Codes = z
  .string()
  .transform((s) => s.split(',').map((c) => c.trim()))
  .pipe(z.array(z.string().regex(/^[A-Z]{2,8}$/, 'municipality codes are 2 to 8 upper-case letters')).min(1));

export const MunicipalConfigSchema = z.object({
  municipalities: Codes,
  adapter: z.enum(['native']).default('native'),
  /** A PostgreSQL URL, or a directory for an embedded PGlite database. */
  database: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().default('127.0.0.1'),
  /** Seed the database with the demo region's share when it is empty. */
  seedDemo: z.stringbool().default(false),
  logLevel: z.string().default('info'),
  /** Secrets that gateway signatures may use: the current one, then any honoured during a rotation. */
  subgraphSecrets: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.string().min(32, 'each subgraph secret must be at least 32 characters')).min(1)),
  /** How far a signed request's timestamp may drift from this server's clock. */
  signatureWindowMs: z.coerce.number().int().positive().default(60_000),
  /** Directory holding one release policy per municipality, <CODE>.json. */
  policyDir: z.string().min(1),
  /** When set, replicas of this subgraph share the nonce cache (replay protection) in this Redis. */
  redisUrl: z.string().optional(),
});

export type MunicipalConfig = z.infer<typeof MunicipalConfigSchema>;

export function municipalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MunicipalConfig {
  const parsed = MunicipalConfigSchema.safeParse({
    municipalities: env.MUNICIPALITY,
    adapter: env.ADAPTER,
    database: env.DATABASE,
    port: env.PORT,
    host: env.HOST,
    seedDemo: env.SEED_DEMO,
    logLevel: env.LOG_LEVEL,
    subgraphSecrets: env.SUBGRAPH_SECRET,
    signatureWindowMs: env.SIGNATURE_WINDOW_MS,
    policyDir: env.POLICY_DIR,
    redisUrl: env.REDIS_URL,
  });
  if (!parsed.success) {
    throw new Error(
      `Invalid municipal configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}
