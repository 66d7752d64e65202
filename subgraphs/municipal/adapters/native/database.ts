// The database type every part of the native adapter works on: drizzle over PGlite or PostgreSQL.
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

// biome-ignore lint/suspicious/noExplicitAny: drizzle's database type is generic over its driver.
export type NativeDatabase = PgDatabase<PgQueryResultHKT, any>;
