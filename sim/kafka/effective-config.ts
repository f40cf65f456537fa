// How a node reads a setting: the most specific layer that sets it, else Kafka's default (config.ts).
// Topic configs fall back to the broker's (min.insync.replicas, unclean.leader.election.enable);
// broker configs are the broker's own dynamic override, the cluster-wide dynamic default, then the
// scenario's static server.properties (kafka-configs --alter semantics, DynamicBrokerConfig).

import { configBoolean, configNumber, configValue, type ConfigMap } from './config.ts';
import type { MetadataImage } from './metadata-image.ts';

export function brokerNumber(name: string, image: MetadataImage, brokerId: number, staticConfig: ConfigMap): number {
  const [own, cluster] = image.dynamicBrokerLayers(brokerId);
  return configNumber('broker', name, own, cluster, staticConfig);
}

export function brokerBoolean(name: string, image: MetadataImage, brokerId: number, staticConfig: ConfigMap): boolean {
  const [own, cluster] = image.dynamicBrokerLayers(brokerId);
  return configBoolean('broker', name, own, cluster, staticConfig);
}

export function topicNumber(name: string, image: MetadataImage, topic: string, brokerId: number, staticConfig: ConfigMap): number {
  const [own, cluster] = image.dynamicBrokerLayers(brokerId);
  return configNumber('topic', name, image.topics.get(topic)?.config, own, cluster, staticConfig);
}

export function topicBoolean(name: string, image: MetadataImage, topic: string, brokerId: number, staticConfig: ConfigMap): boolean {
  const [own, cluster] = image.dynamicBrokerLayers(brokerId);
  return configBoolean('topic', name, image.topics.get(topic)?.config, own, cluster, staticConfig);
}

/**
 * The flush policy of a topic's log (LogConfig): flush.messages falls back to
 * log.flush.interval.messages; flush.ms to log.flush.interval.ms, whose own default (null) means
 * log.flush.scheduler.interval.ms. The flusher runs every log.flush.scheduler.interval.ms.
 */
export function flushPolicy(image: MetadataImage, topic: string, brokerId: number, staticConfig: ConfigMap): { messages: number; ms: number } {
  const [own, cluster] = image.dynamicBrokerLayers(brokerId);
  const topicConfig = image.topics.get(topic)?.config;
  const messages = topicConfig && 'flush.messages' in topicConfig
    ? configNumber('topic', 'flush.messages', topicConfig)
    : configNumber('broker', 'log.flush.interval.messages', own, cluster, staticConfig);
  let ms: number;
  if (topicConfig && 'flush.ms' in topicConfig) ms = configNumber('topic', 'flush.ms', topicConfig);
  else {
    const v = configValue('broker', 'log.flush.interval.ms', own, cluster, staticConfig);
    ms = typeof v === 'number' ? v : configNumber('broker', 'log.flush.scheduler.interval.ms', own, cluster, staticConfig);
  }
  return { messages, ms };
}

/** What retention and segment rolling read of a topic's log (LogConfig, with KafkaConfig's broker defaults). */
export interface LogPolicy {
  /** retention.ms; negative: no limit. */
  retentionMs: number;
  /** retention.bytes; negative: no limit. */
  retentionBytes: number;
  segment: { bytes: number; ms: number };
}

/**
 * LogConfig of a topic's log: each topic config, else its broker synonym (ServerTopicConfigSynonyms):
 * retention.ms ← log.retention.ms, else log.retention.minutes, else log.retention.hours
 * (KafkaConfig.logRetentionTimeMillis; a negative value means no limit); segment.ms ← log.roll.ms,
 * else log.roll.hours; retention.bytes ← log.retention.bytes; segment.bytes ← log.segment.bytes.
 */
export function logPolicy(image: MetadataImage, topic: string, brokerId: number, staticConfig: ConfigMap): LogPolicy {
  const [own, cluster] = image.dynamicBrokerLayers(brokerId);
  const t = image.topics.get(topic)?.config;
  const broker = (name: string): number | null => {
    const v = configValue('broker', name, own, cluster, staticConfig);
    return typeof v === 'number' ? v : null;
  };
  const topicOr = (name: string, fallback: () => number): number => (t && name in t ? configNumber('topic', name, t) : fallback());
  const retentionMs = topicOr('retention.ms', () => {
    const minutes = broker('log.retention.minutes');
    const ms = broker('log.retention.ms') ?? (minutes !== null ? minutes * 60000 : broker('log.retention.hours')! * 3600000);
    return ms < 0 ? -1 : ms;
  });
  return {
    retentionMs,
    retentionBytes: topicOr('retention.bytes', () => broker('log.retention.bytes')!),
    segment: {
      bytes: topicOr('segment.bytes', () => broker('log.segment.bytes')!),
      ms: topicOr('segment.ms', () => broker('log.roll.ms') ?? broker('log.roll.hours')! * 3600000),
    },
  };
}

/** Milliseconds from a config to simulated µs, saturating Kafka's "never" (Long.MAX_VALUE). */
export function msToUs(ms: number): number {
  const us = ms * 1000;
  return us > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : us;
}
