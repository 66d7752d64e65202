// A municipal server's configuration: which municipality, which database, which port.
import { z } from 'zod';
import { ADAPTER_NAMES } from './adapters';

const Codes = z
  .string()
  .transform((s) => s.split(',').map((c) => c.trim()))
  .pipe(z.array(z.string().regex(/^[A-Z]{2,8}$/, 'municipality codes are 2 to 8 upper-case letters')).min(1));

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
    port: z.coerce.number().int().min(0).max(65535),
    host: z.string().default('127.0.0.1'),
    /** Seed the database with the demo region's share when it is empty. */
    seedDemo: z.stringbool().default(false),
    logLevel: z.string().default('info'),
  })
  .refine((c) => c.adapter === 'native' || c.municipalities.length === 1, {
    message: 'a legacy adapter holds exactly one municipality',
    path: ['municipalities'],
  });

export type MunicipalConfig = z.infer<typeof MunicipalConfigSchema>;

export function municipalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MunicipalConfig {
  const parsed = MunicipalConfigSchema.safeParse({
    municipalities: env.MUNICIPALITY,
    adapter: env.ADAPTER,
    database: env.DATABASE,
    readerDatabase: env.READER_DATABASE || undefined,
    port: env.PORT,
    host: env.HOST,
    seedDemo: env.SEED_DEMO,
    logLevel: env.LOG_LEVEL,
  });
  if (!parsed.success) {
    throw new Error(
      `Invalid municipal configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}
