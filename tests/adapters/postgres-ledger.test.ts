// The adapter behaviour suite on the PostgreSQL server (CROSSGATE_TEST_POSTGRES_URL), for the award-ledger schema.
import { describeAdapterBehaviour } from './behaviour';
import { postgresLedgerTarget } from './targets';

describeAdapterBehaviour(postgresLedgerTarget);
