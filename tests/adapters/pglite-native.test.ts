// The adapter behaviour suite on the native schema's mapping, on embedded PGlite.
import { describeAdapterBehaviour } from './behaviour';
import { pgliteNativeTarget } from './targets';

describeAdapterBehaviour(pgliteNativeTarget);
