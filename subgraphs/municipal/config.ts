// A municipal server's configuration: which municipality, which database, which port.
import { z } from 'zod';
import { MunicipalityCode } from '../../schema/ids';
import { ADAPTER_NAMES } from './adapters';

const Codes = z
  .string()
  .transform((s) => s.split(',').map((c) => c.trim()))
  .pipe(z.array(MunicipalityCode).min(1));

export const MunicipalConfigSchema = z
  .object({
    municipalities: Codes,
    /** 'native' (the reference schema) or a legacy adapter over the municipality's own tables. */
    adapter: z.enum(ADAPTER_NAMES).default('native'),
    /**
     * A PostgreSQL URL, or a directory for an embedded PGlite database; a file for sqlite-camel;
     * a mysql:// URL for mariadb-register. The owner's address: seeding and granting use it.
     */
    database: z.string().min(1),
    /** The read-only address the store reads through; when absent it is granted from `database`. */
    readerDatabase: z.string().min(1).optional(),
    /**
     * The municipality's database for the region's own records: the audit log, recognition
     * decisions, appeals and the write log (PostgreSQL URL or PGlite directory). The native adapter
     * keeps them in `database`; a legacy register keeps only its own tables, so they sit beside it.
     */
    auditDatabase: z.string().min(1).optional(),
    port: z.coerce.number().int().min(0).max(65535),
    host: z.string().default('127.0.0.1'),
    logLevel: z.string().default('info'),
    /** This municipality's data folder for its own key pair (created on first start, never shared). */
    keyDir: z.string().min(1),
    /** The registry's public key(s), a JSON JWKS: the anchor against which its signed directory is checked. */
    registryKeys: z
      .string()
      .min(1, "REGISTRY_KEYS (the registry's public JWKS) is required to check the member directory")
      .transform(
        (s) =>
          z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }).parse(JSON.parse(s)).keys,
      ),
    /** How long the registry's directory is used before it is read again: a withdrawn key is refused within it. */
    directoryTtlMs: z.coerce.number().int().positive().default(30_000),
    /** How far a signed request's timestamp may drift from this server's clock. */
    signatureWindowMs: z.coerce.number().int().positive().default(60_000),
    /** Directory holding one release policy per municipality, <CODE>.json. */
    policyDir: z.string().min(1),
    /** When set, replicas of this subgraph share the nonce cache (replay protection) in this Redis. */
    redisUrl: z.string().optional(),
    /** The registry's GraphQL endpoint: its signed directory of members' keys is read beside it. */
    registryUrl: z.url(),
    /** How long the agreements in force, as the registry answered, are trusted before asking again. */
    partnersTtlMs: z.coerce.number().int().positive().default(30_000),
    /**
     * How long the partner lookup waits for the registry. It must stay well below the gateway's
     * per-shard timeout (SHARD_TIMEOUT_MS, 5 s): a stalled registry then costs the gated fields
     * (AGREEMENTS_UNAVAILABLE), never the whole shard's answer.
     */
    partnersTimeoutMs: z.coerce.number().int().positive().max(30_000).default(1500),
    /** On SIGTERM, how long requests in flight may run before the process exits anyway. */
    shutdownGraceMs: z.coerce.number().int().min(0).max(600_000).default(10_000),
  })
  .refine((c) => c.adapter === 'native' || c.municipalities.length === 1, {
    message: 'a legacy adapter holds exactly one municipality',
    path: ['municipalities'],
  })
  .refine((c) => c.adapter === 'native' || c.auditDatabase !== undefined, {
    message:
      'a legacy adapter needs AUDIT_DATABASE: the audit and write logs are never written into the legacy register',
    path: ['auditDatabase'],
  });

export type MunicipalConfig = z.infer<typeof MunicipalConfigSchema>;

export function municipalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MunicipalConfig {
  const parsed = MunicipalConfigSchema.safeParse({
    municipalities: env.MUNICIPALITY,
    adapter: env.ADAPTER,
    database: env.DATABASE,
    readerDatabase: env.READER_DATABASE || undefined,
    auditDatabase: env.AUDIT_DATABASE || undefined,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    keyDir: env.KEY_DIR,
    registryKeys: env.REGISTRY_KEYS,
    directoryTtlMs: env.DIRECTORY_TTL_MS,
    signatureWindowMs: env.SIGNATURE_WINDOW_MS,
    policyDir: env.POLICY_DIR,
    redisUrl: env.REDIS_URL,
    registryUrl: env.REGISTRY_URL,
    partnersTtlMs: env.PARTNERS_TTL_MS,
    partnersTimeoutMs: env.PARTNERS_TIMEOUT_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
  });
  if (!parsed.success) {
    throw new Error(
      `Invalid municipal configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}
