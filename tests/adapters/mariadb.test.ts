// The adapter behaviour suite on the MariaDB server (CROSSGATE_TEST_MARIADB_URL).
import { describeAdapterBehaviour } from './behaviour';
import { mariadbTarget } from './targets';

describeAdapterBehaviour(mariadbTarget);
