// The same plugins the CLI installs (src/scenario/run.ts imports these for its side effects): the
// fault actions, the ledger and invariant checks, and the clients. Same plugins, same trace.
import '../../src/scenario/run.ts';
