// The adapter behaviour suite on the native schema's mapping, on the PostgreSQL server (CROSSGATE_TEST_POSTGRES_URL).
import { describeAdapterBehaviour } from './behaviour';
import { postgresNativeTarget } from './targets';

describeAdapterBehaviour(postgresNativeTarget);
