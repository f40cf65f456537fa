// A producer's settings, read once from the scenario through config.ts (Kafka's names and defaults)
// and converted to µs. ProducerConfig.postProcessAndValidateIdempotenceConfigs is applied here: when
// the user did not set enable.idempotence, it is quietly turned off by acks other than all, retries=0
// or more than 5 requests in flight, as Kafka 3.2+ does ("Idempotence will be disabled because …").

import { configBoolean, configNumber, configValue, INT_MAX, type ConfigMap } from '../config.ts';
import { MS } from '../../engine/index.ts';
import type { ConnectionSettings } from './network-client.ts';

export interface ProducerSettings {
  acks: 0 | 1 | -1;
  idempotent: boolean;
  retries: number;
  deliveryTimeoutUs: number;
  requestTimeoutMs: number;
  requestTimeoutUs: number;
  lingerUs: number;
  batchSize: number;
  maxInFlight: number;
  retryBackoffUs: number;
  retryBackoffMaxUs: number;
  metadataMaxAgeUs: number;
  metadataMaxIdleUs: number;
  maxBlockUs: number;
  bufferMemory: number;
  adaptivePartitioning: boolean;
  availabilityTimeoutUs: number;
  ignoreKeys: boolean;
  /** reconnect.backoff.ms / .max.ms, socket.connection.setup.timeout.ms / .max.ms. */
  connection: ConnectionSettings;
}

const num = (name: string, config: ConfigMap): number => configNumber('producer', name, config);
const us = (name: string, config: ConfigMap): number => {
  const v = num(name, config) * MS;
  return v > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : v;
};

/** `constantRetryBackoff`: Kafka before 3.7 (KIP-580), whose retry backoff is retry.backoff.ms every time. */
/** KafkaProducer.lingerMs + request.timeout.ms, each sum capped at Integer.MAX_VALUE as Kafka caps it. */
export function lingerPlusRequestTimeoutMs(config: ConfigMap): number {
  return Math.min(Math.min(num('linger.ms', config), INT_MAX) + num('request.timeout.ms', config), INT_MAX);
}

/**
 * KafkaProducer.configureDeliveryTimeout: a delivery.timeout.ms below linger.ms + request.timeout.ms
 * is refused when the user set it (the scenario's validation says so) and, left at its default,
 * raised to that sum ("Setting it to …").
 */
function deliveryTimeoutMs(config: ConfigMap): number {
  const set = num('delivery.timeout.ms', config);
  if (Object.prototype.hasOwnProperty.call(config, 'delivery.timeout.ms')) return set;
  return Math.max(set, lingerPlusRequestTimeoutMs(config));
}

export function producerSettings(config: ConfigMap, constantRetryBackoff = false): ProducerSettings {
  const acksText = String(configValue('producer', 'acks', config));
  const acks = acksText === 'all' || acksText === '-1' ? -1 : acksText === '0' ? 0 : 1;
  const retries = num('retries', config);
  const maxInFlight = num('max.in.flight.requests.per.connection', config);
  const userSet = Object.prototype.hasOwnProperty.call(config, 'enable.idempotence');
  let idempotent = configBoolean('producer', 'enable.idempotence', config);
  if (!userSet && (acks !== -1 || retries === 0 || maxInFlight > 5)) idempotent = false;
  return {
    acks, idempotent, retries,
    deliveryTimeoutUs: deliveryTimeoutMs(config) * MS,
    requestTimeoutMs: num('request.timeout.ms', config),
    requestTimeoutUs: us('request.timeout.ms', config),
    lingerUs: us('linger.ms', config),
    batchSize: num('batch.size', config),
    maxInFlight,
    retryBackoffUs: us('retry.backoff.ms', config),
    // before KIP-580 there is no maximum: an ExponentialBackoff whose maximum is its start is constant
    retryBackoffMaxUs: constantRetryBackoff ? us('retry.backoff.ms', config) : us('retry.backoff.max.ms', config),
    metadataMaxAgeUs: us('metadata.max.age.ms', config),
    metadataMaxIdleUs: us('metadata.max.idle.ms', config),
    maxBlockUs: us('max.block.ms', config),
    bufferMemory: num('buffer.memory', config),
    adaptivePartitioning: configBoolean('producer', 'partitioner.adaptive.partitioning.enable', config),
    availabilityTimeoutUs: us('partitioner.availability.timeout.ms', config),
    ignoreKeys: configBoolean('producer', 'partitioner.ignore.keys', config),
    connection: {
      reconnectBackoffUs: us('reconnect.backoff.ms', config),
      reconnectBackoffMaxUs: us('reconnect.backoff.max.ms', config),
      connectionSetupTimeoutUs: us('socket.connection.setup.timeout.ms', config),
      connectionSetupTimeoutMaxUs: us('socket.connection.setup.timeout.max.ms', config),
    },
  };
}
