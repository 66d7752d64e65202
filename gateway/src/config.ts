// The gateway's configuration: environment parsed once with a schema; every problem reported at once.
import { z } from 'zod';

export const GatewayConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4000),
  host: z.string().default('127.0.0.1'),
  registryUrl: z.url(),
  shardTimeoutMs: z.coerce.number().int().positive().default(5000),
  membershipRefreshMs: z.coerce.number().int().min(0).default(10_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  development: z.coerce.boolean().default(true),
  /** Workforce-flow counts below this are suppressed (after summing every municipality). */
  flowSuppressionThreshold: z.coerce.number().int().min(1).default(5),
});

export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = GatewayConfigSchema.safeParse({
    port: env.GATEWAY_PORT,
    host: env.GATEWAY_HOST,
    registryUrl: env.REGISTRY_URL,
    shardTimeoutMs: env.SHARD_TIMEOUT_MS,
    membershipRefreshMs: env.MEMBERSHIP_REFRESH_MS,
    logLevel: env.LOG_LEVEL,
    flowSuppressionThreshold: env.FLOW_SUPPRESSION_THRESHOLD,
    development: env.NODE_ENV === undefined ? undefined : env.NODE_ENV !== 'production',
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid gateway configuration:\n${problems}`);
  }
  return parsed.data;
}
