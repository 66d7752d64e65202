// The adapter behaviour suite on embedded PGlite, for the award-ledger schema.
import { describeAdapterBehaviour } from './behaviour';
import { pgliteLedgerTarget } from './targets';

describeAdapterBehaviour(pgliteLedgerTarget);
