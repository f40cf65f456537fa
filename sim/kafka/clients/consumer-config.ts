// A consumer's settings, read once from the scenario through config.ts (Kafka's names and
// defaults) and converted to µs where they are durations.

import { configBoolean, configNumber, configValue, type ConfigMap } from '../config.ts';
import { MS } from '../../engine/index.ts';
import { MIN_RETRY_BACKOFF_US } from './backoff.ts';
import type { ConnectionSettings } from './network-client.ts';

export interface ConsumerSettings {
  sessionTimeoutMs: number;
  heartbeatIntervalUs: number;
  rebalanceTimeoutMs: number;
  maxPollIntervalUs: number;
  autoOffsetReset: 'earliest' | 'latest' | 'none';
  enableAutoCommit: boolean;
  autoCommitIntervalUs: number;
  fetchMinBytes: number;
  fetchMaxWaitMs: number;
  maxPollRecords: number;
  maxPartitionFetchBytes: number;
  assignors: string[];
  requestTimeoutUs: number;
  retryBackoffUs: number;
  retryBackoffMaxUs: number;
  metadataMaxAgeUs: number;
  /** client.rack (KIP-392); '' when unset. */
  clientRack: string;
  /** reconnect.backoff.ms / .max.ms, socket.connection.setup.timeout.ms / .max.ms. */
  connection: ConnectionSettings;
}

/**
 * fetch.max.bytes is not a scenario setting: Kafka's default (ConsumerConfig.DEFAULT_FETCH_MAX_BYTES),
 * sent but not applied by the model's brokers.
 */
export const FETCH_MAX_BYTES = 52428800;
/** AbstractCoordinator.JOIN_GROUP_TIMEOUT_LAPSE: a JoinGroup may take the rebalance timeout plus 5 s. */
export const JOIN_GROUP_TIMEOUT_LAPSE_MS = 5000;

export function consumerSettings(config: ConfigMap): ConsumerSettings {
  const num = (name: string): number => configNumber('consumer', name, config);
  const us = (name: string): number => Math.min(num(name) * MS, Number.MAX_SAFE_INTEGER);
  const maxPoll = num('max.poll.interval.ms');
  const assignors = configValue('consumer', 'partition.assignment.strategy', config);
  return {
    sessionTimeoutMs: num('session.timeout.ms'),
    // a zero interval still waits one turn of the client's loop, modelled as the retry floor, so the
    // heartbeat and auto-commit loops let simulated time pass (fuzz: heartbeat-interval-0, auto-commit-interval-0)
    heartbeatIntervalUs: Math.max(num('heartbeat.interval.ms') * MS, MIN_RETRY_BACKOFF_US),
    // the JoinGroup rebalance timeout is max.poll.interval.ms (KIP-62)
    rebalanceTimeoutMs: maxPoll,
    maxPollIntervalUs: maxPoll * MS,
    autoOffsetReset: String(configValue('consumer', 'auto.offset.reset', config)) as ConsumerSettings['autoOffsetReset'],
    enableAutoCommit: configBoolean('consumer', 'enable.auto.commit', config),
    autoCommitIntervalUs: Math.max(num('auto.commit.interval.ms') * MS, MIN_RETRY_BACKOFF_US),
    fetchMinBytes: num('fetch.min.bytes'),
    fetchMaxWaitMs: num('fetch.max.wait.ms'),
    maxPollRecords: num('max.poll.records'),
    maxPartitionFetchBytes: num('max.partition.fetch.bytes'),
    assignors: Array.isArray(assignors) ? assignors.map(String) : String(assignors).split(','),
    requestTimeoutUs: num('request.timeout.ms') * MS,
    retryBackoffUs: Math.max(num('retry.backoff.ms') * MS, MIN_RETRY_BACKOFF_US),
    retryBackoffMaxUs: Math.max(us('retry.backoff.max.ms'), MIN_RETRY_BACKOFF_US),
    metadataMaxAgeUs: num('metadata.max.age.ms') * MS,
    clientRack: String(configValue('consumer', 'client.rack', config) ?? ''),
    connection: {
      reconnectBackoffUs: us('reconnect.backoff.ms'),
      reconnectBackoffMaxUs: us('reconnect.backoff.max.ms'),
      connectionSetupTimeoutUs: us('socket.connection.setup.timeout.ms'),
      connectionSetupTimeoutMaxUs: us('socket.connection.setup.timeout.max.ms'),
    },
  };
}
