// The clients module: importing it plugs the scenario's producers and consumer groups into every
// simulation created afterwards (sim/kafka/plugins.ts, order 30, after the faults and the ledger).
// It attaches one network node per client, serves InitProducerId and the group coordinator's
// requests from the brokers (BrokerExtension), and adds the timeline actions stop-producer,
// start-producer and reset-offsets, and crash/restart of client nodes.

import { registerSimulationPlugin, type SimulationPlugin } from '../plugins.ts';
import type { Simulation } from '../simulation.ts';
import { ClientsRuntime } from './runtime.ts';

export { ClientsRuntime, clientsOf } from './runtime.ts';
export { observeClients } from './observers.ts';
export { KafkaProducer } from './producer.ts';
export type { ClientObserver, BatchRef, ConsumedBatch } from '../client-observer.ts';
export { murmur2, toPositive, partitionForKey } from './murmur2.ts';

export function installClients(sim: Simulation): ClientsRuntime {
  return new ClientsRuntime(sim);
}

export const clientsPlugin: SimulationPlugin = { name: 'clients', order: 30, install: (sim) => void installClients(sim) };
registerSimulationPlugin(clientsPlugin);
