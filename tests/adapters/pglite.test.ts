// The adapter behaviour suite on embedded PGlite.
import { describeAdapterBehaviour } from './behaviour';
import { pgliteTarget } from './targets';

describeAdapterBehaviour(pgliteTarget);
