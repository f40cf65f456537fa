// Validated Scenario → ClusterSpec, the plain-data input of the simulation (sim/kafka/spec.ts). The
// scenario is already checked and normalised, so this is only a change of shape: the cluster section
// is flattened, the Kafka version's defaults go under the configs the file sets (a setting written in
// the file wins), and the timeline is put in time order (stable, so equal times keep file order; a
// `between` step by its window's start). Each step keeps its index in the file, which names its
// random stream.

import { configNumber, INT_MAX, type ConfigMap, type ConfigScope } from '../../sim/kafka/config.ts';
import type { ClusterSpec, TimelineStep } from '../../sim/kafka/spec.ts';
import { behavioursOf, CURRENT_VERSION, versionDefaults } from '../../sim/kafka/versions.ts';
import type { Scenario, ScenarioStep } from './types.ts';

export function buildClusterSpec(scenario: Scenario): ClusterSpec {
  const { cluster } = scenario;
  const version = cluster.kafkaVersion;
  const behaviours = behavioursOf(version);
  // the version's defaults, under whatever the file sets itself (versions.ts)
  const old = (scope: ConfigScope): ConfigMap => Object.fromEntries(versionDefaults(version).filter((d) => d.scope === scope).map((d) => [d.config, d.value]));
  return {
    name: scenario.name,
    seed: scenario.seed,
    durationUs: scenario.durationUs,
    brokers: [...cluster.brokers],
    controller: cluster.controller,
    ...(cluster.controllers > 1 ? { controllers: cluster.controllers } : {}),
    replicationProtocol: cluster.replicationProtocol,
    ...(cluster.racks ? { racks: Object.fromEntries(Object.entries(cluster.racks).map(([r, ids]) => [r, [...ids]])) } : {}),
    ...(version === CURRENT_VERSION ? {} : {
      kafkaVersion: version,
      hwFreezesUnderMinIsr: behaviours.hwFreezesUnderMinIsr,
      isrShrinkBumpsLeaderEpoch: behaviours.isrShrinkBumpsLeaderEpoch,
    }),
    pageCacheWritebackUs: cluster.pageCacheWritebackUs,
    brokerConfig: { ...old('broker'), ...cluster.config },
    network: { latency: { ...scenario.network.latency } },
    topics: scenario.topics.map((t) => ({ ...t, config: { ...t.config } })),
    producers: scenario.producers.map((p) => ({
      ...p, config: { ...old('producer'), ...idempotenceOverrides(p.config, old('producer'), behaviours.idempotentMaxInFlight), ...constantReconnect('producer', p.config, behaviours.reconnectBackoff), ...p.config },
      ...(behaviours.retryBackoff === 'constant' ? { constantRetryBackoff: true } : {}),
      ...(behaviours.leaderDiscovery === 'metadata' ? { leaderDiscovery: 'metadata' as const } : {}),
      ...(behaviours.batchExpiry === 'request-timeout' ? { batchExpiry: 'request-timeout' as const } : {}),
    })),
    consumers: scenario.consumers.map((c) => ({ ...c, topics: [...c.topics], config: { ...old('consumer'), ...constantReconnect('consumer', c.config, behaviours.reconnectBackoff), ...c.config } })),
    timeline: inTimeOrder(scenario.timeline.map(toTimelineStep)),
  };
}

/**
 * ProducerConfig.maybeOverrideAcksAndRetries (KafkaProducer.configureAcks/configureRetries before
 * 2.8): a producer with enable.idempotence=true takes acks=all and retries=MAX_INT when the user did
 * not set them, over the version's defaults (acks=1 before 3.0, retries=0 before 2.1), and on 0.11
 * max.in.flight.requests.per.connection=1. The current defaults are these already.
 */
function idempotenceOverrides(config: ConfigMap, versionDefaults: ConfigMap, maxInFlight: '1' | '5'): ConfigMap {
  if (config['enable.idempotence'] !== true) return {};
  const needed: ConfigMap = { acks: 'all', retries: INT_MAX };
  const out = Object.fromEntries(Object.entries(needed).filter(([name]) => Object.prototype.hasOwnProperty.call(versionDefaults, name)));
  // Kafka 0.11 (KafkaProducer.configureInflightRequests): one request in flight, unless the user set it (to 1: anything else is refused)
  return maxInFlight === '1' ? { ...out, 'max.in.flight.requests.per.connection': 1 } : out;
}

/**
 * Before 0.11 (KIP-144) a client waited reconnect.backoff.ms before each reconnect, never longer:
 * reconnect.backoff.max.ms at the same value makes ExponentialBackoff constant (expMax 0, no jitter).
 */
function constantReconnect(scope: 'producer' | 'consumer', config: ConfigMap, how: 'constant' | 'exponential'): ConfigMap {
  return how === 'constant' ? { 'reconnect.backoff.max.ms': configNumber(scope, 'reconnect.backoff.ms', config) } : {};
}

function inTimeOrder(steps: TimelineStep[]): TimelineStep[] {
  return [...steps].sort((a, b) => a.atUs - b.atUs || a.index! - b.index!);
}

function toTimelineStep(step: ScenarioStep, index: number): TimelineStep {
  const out: TimelineStep = { atUs: step.atUs, index, source: { ...step.source } };
  if (step.between !== undefined) out.between = { ...step.between };
  if (step.note !== undefined) out.note = step.note;
  if (step.action !== undefined) out.action = step.action;
  return out;
}
