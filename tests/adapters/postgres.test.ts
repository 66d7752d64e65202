// The adapter behaviour suite on the PostgreSQL server (CROSSGATE_TEST_POSTGRES_URL).
import { describeAdapterBehaviour } from './behaviour';
import { postgresTarget } from './targets';

describeAdapterBehaviour(postgresTarget);
