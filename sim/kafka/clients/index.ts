// The clients part: the scenario's producers and consumer groups, handed to assembleSimulation
// (../assemble-simulation.ts) as `clients`. It attaches one network node per client, serves
// InitProducerId and the group coordinator's requests from the brokers (broker extensions), and runs
// the timeline actions stop-producer, start-producer and reset-offsets, and crash, restart and pause
// of client nodes (runtime.ts).

import type { Simulation } from '../simulation.ts';
import { ClientsRuntime } from './runtime.ts';

export { ClientsRuntime } from './runtime.ts';
export { KafkaProducer } from './producer.ts';
export { murmur2, toPositive, partitionForKey } from './murmur2.ts';

/** The clients part, for assembleSimulation; the runtime it returns answers the queries on them. */
export function clients(sim: Simulation): ClientsRuntime {
  return new ClientsRuntime(sim);
}
