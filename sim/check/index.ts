// The checks part: the ledger of every record's life (ledger.ts), what each consumer group saw
// (consumption.ts), and the model's invariants (invariants.ts), checked after every event and in full
// when the run reaches its end. Handed to assembleSimulation as `checks: checks()`; a sweep or an
// exploration passes `checks({ invariants: false })`, since per-event checks are most of a run's cost
// there, and keeps the ledger it counts with.
import type { Simulation, SimulationPart } from '../kafka/index.ts';
import { ConsumptionChecker } from './consumption.ts';
import { InvariantChecker } from './invariants.ts';
import { Ledger } from './ledger.ts';

export { InvariantChecker } from './invariants.ts';
export { InvariantViolation } from './violation.ts';
export { Ledger } from './ledger.ts';
export { LedgerLimitExceeded, MAX_LEDGER_RECORDS, MAX_LEDGER_REPLICAS } from './partition-ledger.ts';
export { ConsumptionChecker } from './consumption.ts';

export interface ChecksOptions {
  /** Check the model's invariants after every event and at the end (default true). */
  invariants?: boolean;
  /** The most records the ledger follows before the run stops (default MAX_LEDGER_RECORDS; tests lower it). */
  recordLimit?: number;
}

/** The checks of one simulation, as a part; tests read the ledger and the consumption checker here. */
export class Checks implements SimulationPart {
  readonly ledger: Ledger;
  readonly consumption: ConsumptionChecker;
  readonly invariants: InvariantChecker | undefined;
  readonly observers: SimulationPart['observers'];
  readonly clientObservers: SimulationPart['clientObservers'];
  readonly afterEachEvent: SimulationPart['afterEachEvent'];
  readonly endOfRunChecks: SimulationPart['endOfRunChecks'];

  constructor(sim: Simulation, options: ChecksOptions = {}) {
    this.ledger = new Ledger(sim, options.recordLimit);
    this.consumption = new ConsumptionChecker(sim);
    // the ledger hears of every record before the consumption checker compares what groups read
    this.clientObservers = [this.ledger, this.consumption];
    const checker = options.invariants === false ? undefined : new InvariantChecker(sim);
    this.invariants = checker;
    this.observers = checker === undefined ? [this.ledger] : [this.ledger, checker];
    this.afterEachEvent = checker === undefined ? undefined : () => checker.afterEvent();
    this.endOfRunChecks = checker === undefined ? [] : [() => checker.checkAll()];
  }
}

/** The checks part, for assembleSimulation. */
export function checks(options: ChecksOptions = {}): (sim: Simulation) => Checks {
  return (sim) => new Checks(sim, options);
}
