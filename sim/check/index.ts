// The checks module: importing it plugs the ledger and the invariant checks into every simulation
// created afterwards (sim/kafka/plugins.ts). Invariants run after every event unless the simulation
// was created with checkInvariants: false; the full pass runs when run() reaches the end.
import { registerSimulationPlugin, type Simulation, type SimulationOptions } from '../kafka/index.ts';
import { InvariantChecker } from './invariants.ts';
import { Ledger } from './ledger.ts';
import './consumption.ts';

export { InvariantChecker } from './invariants.ts';
export { InvariantViolation } from './violation.ts';
export { Ledger } from './ledger.ts';
export { ConsumptionChecker, consumptionOf } from './consumption.ts';

export function installChecks(sim: Simulation, opts: SimulationOptions): void {
  const ledger = new Ledger(sim);
  sim.ledger = ledger;
  sim.cluster.observe(ledger);
  if (opts.checkInvariants === false) return;
  const checker = new InvariantChecker(sim);
  sim.cluster.observe(checker);
  const previous = sim.scheduler.afterEach;
  sim.scheduler.afterEach = previous === undefined ? () => checker.afterEvent() : () => {
    previous();
    checker.afterEvent();
  };
  sim.endOfRunChecks.push(() => checker.checkAll());
}

export const checksPlugin = { name: 'checks', order: 20, install: installChecks };
registerSimulationPlugin(checksPlugin);
