// The adapter behaviour suite on a SQLite file.
import { describeAdapterBehaviour } from './behaviour';
import { sqliteTarget } from './targets';

describeAdapterBehaviour(sqliteTarget);
