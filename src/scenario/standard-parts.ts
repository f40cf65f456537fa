// The parts of the full simulator, as `kafkasim run` assembles it: the timeline's faults, the checks
// (ledger, consumption, invariants), the clients and the journal (the ledger's counts and lost records
// in the trace). The CLI, the experiments, the front end's worker
// and the tests all assemble from here, so the same scenario and seed give the same run everywhere.

import { checks } from '../../sim/check/index.ts';
import { faults } from '../../sim/faults/index.ts';
import { clients } from '../../sim/kafka/clients/index.ts';
import { journal, metrics, type MetricsOptions, type SimulationParts } from '../../sim/kafka/index.ts';

export interface StandardPartsOptions {
  /** Check the model's invariants after every event and at the end (default true; sweeps turn it off). */
  checkInvariants?: boolean;
  /** Record Kafka's metrics as time series (sim.parts.metrics); off by default, so a run without it pays nothing. */
  metrics?: boolean | MetricsOptions;
  /** The most records the ledger follows before the run stops (default: the ledger's 50,000,000; tests lower it). */
  recordLimit?: number;
}

/** Faults, checks, clients and the journal; add `observers` to watch the run as well. */
export function standardParts(opts: StandardPartsOptions = {}): SimulationParts {
  const m = opts.metrics;
  return {
    faults, checks: checks({ invariants: opts.checkInvariants ?? true, ...(opts.recordLimit === undefined ? {} : { recordLimit: opts.recordLimit }) }), clients, journal,
    ...(m === undefined || m === false ? {} : { metrics: metrics(m === true ? {} : m) }),
  };
}
