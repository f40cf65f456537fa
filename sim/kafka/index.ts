// The Kafka model's public surface: the simulation facade and its query types, the protocol that
// clients are written against, the network and node contexts, the extension points (plugins,
// timeline actions, broker extensions), and the config catalog.
export { createSimulation, Simulation } from './simulation.ts';
export type { SimulationOptions, TopicView, PartitionView, ReplicaView, BrokerView, EventFilter, NodeFaults } from './simulation.ts';
export { registerSimulationPlugin, ActionRegistry } from './plugins.ts';
export type { SimulationPlugin, ActionHandler } from './plugins.ts';
export type { LedgerPort, LedgerFilter, LedgerSummary, LostRecord, ExplanationStep, AckInfo } from './ledger-port.ts';
export { Network, NodeContext } from './network.ts';
export type { Envelope, MessageHandler, NodeStatus, SendOptions, DropReason } from './network.ts';
export { Cluster, PartitionNames } from './cluster.ts';
export type { ModelObserver, TruncationReason } from './cluster.ts';
export { Broker } from './broker.ts';
export type { BrokerStatus, BrokerExtension, CrashKind } from './broker.ts';
export { Controller, CONTROLLER } from './controller.ts';
export { ReplicaLog } from './log.ts';
export { EpochCache } from './epoch-cache.ts';
export { MetadataImage } from './metadata-image.ts';
export type { PartitionRegistration, BrokerRegistration, TopicImage } from './metadata-image.ts';
export { Partition } from './partition.ts';
export { assignReplicasRackUnaware, PlacementError } from './placement.ts';
export { electLeader } from './election.ts';
export * from './protocol.ts';
export * from './config.ts';
export * from './spec.ts';
