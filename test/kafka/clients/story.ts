// Story-test support for the clients on the real cluster: a ClusterSpec with producers and
// consumers, assembled from the full simulator's parts (faults, checks, clients), with the clients
// and the checks at hand.
import { checks, type Checks } from '../../../sim/check/index.ts';
import { faults } from '../../../sim/faults/index.ts';
import { assembleSimulation, type Simulation, type SimulationOptions } from '../../../sim/kafka/index.ts';
import type { ClusterSpec, ProducerSpec, ConsumerSpec, TimelineStep, Action } from '../../../sim/kafka/spec.ts';
import { clients, type ClientsRuntime } from '../../../sim/kafka/clients/index.ts';
import { spec, type SpecOptions } from '../support/cluster.ts';

export interface StoryOptions extends SpecOptions {
  producers?: ProducerSpec[];
  consumers?: ConsumerSpec[];
  keepTrace?: boolean;
}

export interface Story {
  sim: Simulation;
  clients: ClientsRuntime;
  checks: Checks;
}

/** The full simulator (as standardParts() assembles it), keeping its clients and checks parts. */
export function assembleStory(s: ClusterSpec, options: SimulationOptions = {}): Story {
  const made: { clients?: ClientsRuntime; checks?: Checks } = {};
  const sim = assembleSimulation(s, {
    faults,
    checks: (sim) => (made.checks = checks()(sim)),
    clients: (sim) => (made.clients = clients(sim)),
  }, options);
  return { sim, clients: made.clients!, checks: made.checks! };
}

export function story(o: StoryOptions = {}): Story {
  const s = spec(o);
  s.producers = o.producers ?? [];
  s.consumers = o.consumers ?? [];
  return assembleStory(s, { keepTrace: o.keepTrace ?? true });
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
