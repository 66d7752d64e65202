// The normalised PostgreSQL register adapter: PGlite (a directory) or a PostgreSQL server (a URL).
import { mappedAdapter } from '../kit/adapter';
import { pgNormalisedMapping } from './mapping';
import { TABLES } from './schema';

export const pgNormalisedAdapter = mappedAdapter(pgNormalisedMapping, { tables: TABLES });
