// The Kafka model's public surface: the simulation facade and its query types, how a simulation is
// assembled from its parts, the protocol that clients are written against, the network and node
// contexts, the extension points (timeline actions, broker extensions, observers), and the config
// catalog.
export { Simulation } from './simulation.ts';
export type { SimulationOptions, TopicView, PartitionView, ReplicaView, BrokerView, EventFilter, EventWatch, QuorumView } from './simulation.ts';
export { ControllerQuorum } from './controller-quorum.ts';
export { assembleSimulation } from './assemble-simulation.ts';
export { journal, Journal } from './journal.ts';
export { metrics, MetricsRecorder, METRIC_DEFS, METRIC_NAMES, metricDef, secondsAbove, alertSpans, percentile, LatencyHistogram } from './metrics.ts';
export type { MetricDef, MetricKind, MetricsOptions } from './metrics.ts';
export type { MetricSeries, MetricsResult, MetricsSummary, MetricsPort } from './metrics-port.ts';
export * from './trace-events.ts';
export type { SimulationParts } from './assemble-simulation.ts';
export { InstalledParts } from './parts.ts';
export type { SimulationPart, PartBuilder, ActionHandler, ActionHandlers, NodeFaults } from './parts.ts';
export type { ClientObserver, BatchRef, ConsumedBatch } from './client-observer.ts';
export { NO_GROUPS } from './group-queries.ts';
export type { GroupQueries, GroupOffsetRow } from './group-queries.ts';
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
