// Builds a simulation from its spec and the parts it is handed: the one place a run is put together.
// The core model (engine, network, controller, brokers) comes from the spec; everything else is a
// part (parts.ts), installed in this fixed order, so the same parts give the same run, event for
// event: the timeline's faults, the checks (ledger, consumption, invariants), the metrics when asked for, the clients, the journal
// (the ledger's side of the trace), then any extra observers in the order given. A part left out is simply not there: a test cluster without
// clients, a sweep without invariant checks. src/scenario/standard-parts.ts names the parts of the
// full simulator that the CLI, the experiments and the front end run.

import type { ModelObserver } from './cluster.ts';
import type { PartBuilder } from './parts.ts';
import { Simulation, type SimulationOptions } from './simulation.ts';
import type { ClusterSpec } from './spec.ts';

export interface SimulationParts {
  /** The timeline's broker, controller and network actions (sim/faults). */
  faults?: PartBuilder;
  /** The ledger of every record, the consumption checker and the invariants (sim/check). */
  checks?: PartBuilder;
  /** Kafka's metrics as time series (metrics.ts): installed before the clients, whose producers it asks to keep send() times. Left out unless asked for. */
  metrics?: PartBuilder;
  /** The scenario's producers and consumer groups, and what brokers serve for them (sim/kafka/clients). */
  clients?: PartBuilder;
  /** The ledger's counts and lost records written to the trace (journal.ts), so a trace file is the whole run. */
  journal?: PartBuilder;
  /** More watchers of the model, called after the parts' own (an experiment's measure, the page's collector). */
  observers?: readonly ((sim: Simulation) => ModelObserver)[];
}

/** A simulation with its parts installed, its cluster started at t=0 and its timeline scheduled. */
export function assembleSimulation(spec: ClusterSpec, parts: SimulationParts, options: SimulationOptions = {}): Simulation {
  const sim = new Simulation(spec, options);
  for (const build of [parts.faults, parts.checks, parts.metrics, parts.clients, parts.journal]) if (build !== undefined) sim.install(build(sim));
  for (const watch of parts.observers ?? []) sim.install({ observers: [watch(sim)] });
  sim.start();
  return sim;
}
