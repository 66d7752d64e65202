// A municipal server's configuration: which municipality, which database, which port.
import { z } from 'zod';
import {
  configInput,
  configVariables,
  IDENTITY_PROVIDER_VARIABLES,
  identityProviderFields,
  jwksVariable,
  LOG_LEVELS,
  parseConfig,
  variableNamesOf,
} from '../../common/config';
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
    /**
     * The most connections the pool of the region's own records opens on a PostgreSQL server (the
     * native database, or a legacy register's side database). Members sharing one server keep it small.
     */
    databasePoolSize: z.coerce.number().int().min(1).max(100).default(10),
    port: z.coerce.number().int().min(0).max(65535),
    host: z.string().default('127.0.0.1'),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    /** This municipality's data folder for its own key pair (created on first start, never shared). */
    keyDir: z.string().min(1),
    /** The registry's public key(s), a JSON JWKS: the anchor against which its signed directory is checked. */
    registryKeys: jwksVariable(
      "REGISTRY_KEYS (the registry's public JWKS) is required to check the member directory",
    ),
    /**
     * The region's identity provider: this municipality checks each caller's token against its keys
     * itself, and takes role, subject and home municipality from it, never from the gateway's word.
     */
    ...identityProviderFields,
    /** How long the registry's directory is used before it is read again: a withdrawn key is refused within it. */
    directoryTtlMs: z.coerce.number().int().positive().default(30_000),
    directoryStaleMs: z.coerce.number().int().positive().default(600_000),
    /** How far a signed request's timestamp may drift from this server's clock. */
    signatureWindowMs: z.coerce.number().int().positive().default(60_000),
    /** Directory holding one release policy per municipality, <CODE>.json. */
    policyDir: z.string().min(1),
    /** How often the policy files are looked at for a change to reload; 0 reads them only at start. */
    policyPollMs: z.coerce.number().int().min(0).max(3_600_000).default(2000),
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
    /**
     * The gateway's public URL; each municipality's issuer URL is <it>/issuers/<CODE>. When set,
     * credentials are issued as verifiable credentials and status lists served, signed with the
     * member's own key (KEY_DIR), the one the registry's directory lists.
     */
    publicGatewayUrl: z.url().optional(),
    /** How long a signed status list may be relied on (its validUntil; max-age is half). */
    statusListTtlSeconds: z.coerce.number().int().min(2).max(86_400).default(60),
    /** How often the alert outbox is read when no write wakes its dispatcher. */
    alertPollMs: z.coerce.number().int().min(50).max(60_000).default(1000),
    /** The largest wait between two sends of an undelivered alert (exponential backoff with jitter up to it). */
    alertRetryMaxMs: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    /** On SIGTERM, how long requests in flight may run before the process exits anyway. */
    shutdownGraceMs: z.coerce.number().int().min(0).max(600_000).default(10_000),
    /** How often the audit chain's checkpoint is signed and sent to the registry to witness; 0: never. */
    auditCheckpointMs: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
    /** Refused requests are counted per source address over intervals of this length, one audit entry each. */
    auditRefusalIntervalMs: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
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

/** The variable behind each key. */
export const MUNICIPAL_VARIABLES = {
  municipalities: 'MUNICIPALITY',
  adapter: 'ADAPTER',
  database: 'DATABASE',
  readerDatabase: 'READER_DATABASE',
  auditDatabase: 'AUDIT_DATABASE',
  databasePoolSize: 'DATABASE_POOL_SIZE',
  port: 'PORT',
  host: 'HOST',
  logLevel: 'LOG_LEVEL',
  keyDir: 'KEY_DIR',
  registryKeys: 'REGISTRY_KEYS',
  directoryTtlMs: 'DIRECTORY_TTL_MS',
  directoryStaleMs: 'DIRECTORY_STALE_MS',
  signatureWindowMs: 'SIGNATURE_WINDOW_MS',
  policyDir: 'POLICY_DIR',
  policyPollMs: 'POLICY_POLL_MS',
  redisUrl: 'REDIS_URL',
  registryUrl: 'REGISTRY_URL',
  partnersTtlMs: 'PARTNERS_TTL_MS',
  partnersTimeoutMs: 'PARTNERS_TIMEOUT_MS',
  shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
  publicGatewayUrl: 'PUBLIC_GATEWAY_URL',
  statusListTtlSeconds: 'STATUS_LIST_TTL_SECONDS',
  alertPollMs: 'ALERT_POLL_MS',
  alertRetryMaxMs: 'ALERT_RETRY_MAX_MS',
  auditCheckpointMs: 'AUDIT_CHECKPOINT_MS',
  auditRefusalIntervalMs: 'AUDIT_REFUSAL_INTERVAL_MS',
  ...IDENTITY_PROVIDER_VARIABLES,
} as const satisfies Record<keyof MunicipalConfig, string>;

/** Every variable a municipal server reads, for its configuration file too. */
export const MUNICIPAL_VARIABLE_NAMES = variableNamesOf(MUNICIPAL_VARIABLES);

/** A municipal server's configuration from the environment (and CROSSGATE_CONFIG's file); throws naming each problem. */
export function municipalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MunicipalConfig {
  const vars = configVariables('municipal', env, MUNICIPAL_VARIABLE_NAMES);
  const input = configInput(MUNICIPAL_VARIABLES, vars);
  return parseConfig('municipal', MunicipalConfigSchema, input, MUNICIPAL_VARIABLES);
}
