// The checks Kafka makes across several configs when a client is constructed or a broker starts (a
// ConfigException or IllegalArgumentException in a real application), so a scenario cannot describe
// a client or a broker that could not exist. Settings that Kafka silently adjusts (idempotence left at its default next to
// acks=1) are the model's business, not errors.

import { configNumber, configValue, type ConfigMap } from '../../sim/kafka/config.ts';
import { lingerPlusRequestTimeoutMs } from '../../sim/kafka/clients/producer-config.ts';
import type { Problems } from './errors.ts';
import { key } from './reader.ts';
import { MAX_PARTITIONS_PER_TOPIC } from './topics.ts';
import type { YNode } from './tree.ts';

const has = (config: ConfigMap, name: string): boolean => Object.prototype.hasOwnProperty.call(config, name);

/** ProducerConfig.postProcessAndValidateIdempotenceConfigs and KafkaProducer.configureDeliveryTimeout. */
export function checkProducerConfig(p: Problems, node: YNode | undefined, path: string, config: ConfigMap, idempotentMaxInFlight = 5): void {
  const report = (name: string, message: string): void => reportAt(p, node, path, name, message);
  if (config['enable.idempotence'] === true) {
    if (configValue('producer', 'acks', config) !== 'all') {
      report('acks', 'must be all when enable.idempotence is true (Kafka: "Must set acks to all in order to use the idempotent producer")');
    }
    if (configNumber('producer', 'retries', config) === 0) report('retries', 'must not be 0 when enable.idempotence is true');
    // Kafka 0.11 (KafkaProducer.configureInflightRequests) allowed only 1, overriding an unset value
    const inFlight = idempotentMaxInFlight === 1 && !has(config, 'max.in.flight.requests.per.connection') ? 1 : configNumber('producer', 'max.in.flight.requests.per.connection', config);
    if (inFlight > idempotentMaxInFlight) {
      report('max.in.flight.requests.per.connection', `must be at most ${idempotentMaxInFlight} when enable.idempotence is true${idempotentMaxInFlight === 1 ? ' on Kafka 0.11' : ''}`);
    }
  }
  // BufferPool.allocate refuses a buffer larger than the whole pool (IllegalArgumentException): every
  // batch takes batch.size, so a producer with batch.size above buffer.memory could send nothing
  const batchSize = configNumber('producer', 'batch.size', config);
  const memory = configNumber('producer', 'buffer.memory', config);
  if (batchSize > memory && (has(config, 'batch.size') || has(config, 'buffer.memory'))) {
    report(has(config, 'buffer.memory') ? 'buffer.memory' : 'batch.size', `buffer.memory (${memory}) must be at least batch.size (${batchSize}): each batch takes a batch.size buffer from it, and Kafka refuses a larger one than the whole pool`);
  }
  const lingerPlusRequest = lingerPlusRequestTimeoutMs(config);
  if (has(config, 'delivery.timeout.ms') && configNumber('producer', 'delivery.timeout.ms', config) < lingerPlusRequest) {
    report('delivery.timeout.ms', `must be at least linger.ms + request.timeout.ms (${lingerPlusRequest}), as Kafka requires`);
  }
}

/**
 * KafkaConfig.validateValues: a broker refuses to start when a follower's fetch could wait at the
 * leader longer than the fetch's socket timeout, or longer than the lag that drops it from the ISR.
 */
export function checkBrokerConfig(p: Problems, node: YNode | undefined, path: string, config: ConfigMap): void {
  // Not Kafka's rule but kafkasim's limit: __consumer_offsets is built with every partition at the
  // start, like any topic, so it is held to a topic's partition limit (Kafka allows up to 2^31 − 1,
  // and kafkasim would run out of memory building them)
  const offsetsPartitions = configNumber('broker', 'offsets.topic.num.partitions', config);
  if (offsetsPartitions > MAX_PARTITIONS_PER_TOPIC) {
    reportAt(p, node, path, 'offsets.topic.num.partitions', `offsets.topic.num.partitions ${offsetsPartitions} gives __consumer_offsets more partitions than kafkasim models (at most ${MAX_PARTITIONS_PER_TOPIC}, as for any topic)`);
  }
  if (!has(config, 'replica.fetch.wait.max.ms') && !has(config, 'replica.socket.timeout.ms') && !has(config, 'replica.lag.time.max.ms')) return;
  const wait = configNumber('broker', 'replica.fetch.wait.max.ms', config);
  const name = (other: string): string => (has(config, 'replica.fetch.wait.max.ms') ? 'replica.fetch.wait.max.ms' : other);
  for (const other of ['replica.socket.timeout.ms', 'replica.lag.time.max.ms']) {
    const bound = configNumber('broker', other, config);
    if (wait > bound) reportAt(p, node, path, name(other), `replica.fetch.wait.max.ms (${wait}) must be at most ${other} (${bound}), as Kafka requires`);
  }
}

/** The group member's Heartbeat check: a heartbeat interval at or above the session timeout is refused. */
export function checkConsumerConfig(p: Problems, node: YNode | undefined, path: string, config: ConfigMap): void {
  if (!has(config, 'heartbeat.interval.ms') && !has(config, 'session.timeout.ms')) return;
  const heartbeat = configNumber('consumer', 'heartbeat.interval.ms', config);
  const session = configNumber('consumer', 'session.timeout.ms', config);
  if (heartbeat >= session) {
    const name = has(config, 'heartbeat.interval.ms') ? 'heartbeat.interval.ms' : 'session.timeout.ms';
    reportAt(p, node, path, name, `heartbeat.interval.ms (${heartbeat}) must be lower than session.timeout.ms (${session})`);
  }
}

/** Points at the config's value in the file (its mapping entry), falling back to the map itself. */
function reportAt(p: Problems, node: YNode | undefined, path: string, name: string, message: string): void {
  if (!node) return;
  const entry = node.kind === 'map' ? node.entries.find((e) => e.key === name) : undefined;
  p.add(entry ? entry.value.pos : node.pos, key(path, name), message);
}
