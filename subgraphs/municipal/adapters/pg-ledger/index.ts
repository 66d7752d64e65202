// The PostgreSQL award-ledger adapter (its own `ledger` schema): PGlite or a PostgreSQL server.
import { mappedAdapter } from '../kit/adapter';
import { pgLedgerMapping } from './mapping';
import { TABLES } from './schema';

export const pgLedgerAdapter = mappedAdapter(pgLedgerMapping, { tables: TABLES, schemas: ['ledger'] });
