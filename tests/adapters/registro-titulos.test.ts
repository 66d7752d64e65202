// The adapter behaviour suite on registro-titulos, a register with (year, number) keys, one-letter
// states and no employer column, on every engine it supports: embedded PGlite and a PostgreSQL server.
import { describeAdapterBehaviour } from './behaviour';
import { pgliteRegistroTarget, postgresRegistroTarget } from './targets';

describeAdapterBehaviour(pgliteRegistroTarget);
describeAdapterBehaviour(postgresRegistroTarget);
