// Story-test support for the clients on the real cluster: a ClusterSpec with producers and
// consumers, built with the faults, the ledger and the clients plugged in.
import '../../../sim/faults/index.ts';
import '../../../sim/check/index.ts';
import '../../../sim/kafka/clients/index.ts';
import '../../../sim/check/consumption.ts';
import { createSimulation, type Simulation } from '../../../sim/kafka/index.ts';
import type { ProducerSpec, ConsumerSpec, TimelineStep, Action } from '../../../sim/kafka/spec.ts';
import { clientsOf, type ClientsRuntime } from '../../../sim/kafka/clients/index.ts';
import { spec, type SpecOptions } from '../support/cluster.ts';

export interface StoryOptions extends SpecOptions {
  producers?: ProducerSpec[];
  consumers?: ConsumerSpec[];
  keepTrace?: boolean;
}

export function story(o: StoryOptions = {}): { sim: Simulation; clients: ClientsRuntime } {
  const s = spec(o);
  s.producers = o.producers ?? [];
  s.consumers = o.consumers ?? [];
  const sim = createSimulation(s, { keepTrace: o.keepTrace ?? true });
  return { sim, clients: clientsOf(sim)! };
}

export function at(atUs: number, action: Action): TimelineStep {
  return { atUs, action };
}

/** Steps the simulation until `cond` holds (checked after every event) or `limitUs`; the time, or undefined. */
export function stepUntil(sim: Simulation, cond: () => boolean, limitUs: number): number | undefined {
  while (true) {
    if (cond()) return sim.now;
    const next = sim.scheduler.peekTime();
    if (next === undefined || next > limitUs) {
      sim.runUntil(limitUs);
      return undefined;
    }
    sim.scheduler.step();
  }
}
