// What the replication code may use of the broker process it runs in: its identity and broker epoch,
// its metadata cache and effective configs, its network context. broker.ts implements it; the
// replica manager and everything below it (partition, high watermark, ISR, purgatories, fetchers)
// are written against this interface, never against the Broker class, so none of them imports the
// module that imports them.

import type { Cluster } from './cluster.ts';
import type { MetadataImage } from './metadata-image.ts';
import type { Envelope, NodeContext } from './network.ts';
import type { AnyMessage } from './protocol.ts';
import type { EventOf } from './trace-events.ts';
import type { ReplicationQuota } from './replication-quota.ts';

/**
 * BrokerTopicStats (all topics) of one broker, counted since the broker first started (a metrics
 * reporter's view across restarts); written by the produce path, read only by the metrics part.
 */
export interface BrokerTopicCounts {
  /** MessagesInPerSec: records appended as leader (duplicates of an idempotent producer included, as Kafka counts them). */
  messagesIn: number;
  /** BytesInPerSec: their bytes. */
  bytesIn: number;
  /** FailedProduceRequestsPerSec: partitions of a Produce refused for other reasons than NOT_LEADER_OR_FOLLOWER or UNKNOWN_TOPIC_OR_PARTITION. */
  failedProduceRequests: number;
}

/** The topic-level settings the replication path reads on every request. */
export interface TopicSettings {
  minInsyncReplicas: number;
  flush: { messages: number; ms: number };
  /** The topic's partitions follower.replication.throttled.replicas lists for this broker; undefined: none. */
  followerThrottled?: ReadonlySet<number> | 'all';
  /** The same of leader.replication.throttled.replicas. */
  leaderThrottled?: ReadonlySet<number> | 'all';
}

export interface BrokerServices {
  readonly id: number;
  readonly cluster: Cluster;
  readonly ctx: NodeContext;
  /** Simulated time, µs. */
  readonly now: number;
  /** Assigned at registration; −1 before. */
  readonly brokerEpoch: number;
  /** The broker's metadata cache. */
  readonly image: MetadataImage;
  /** BrokerTopicStats, for the metrics part. */
  readonly topicCounts: BrokerTopicCounts;
  /** An effective broker config (dynamic overrides, then server.properties, then Kafka's default). */
  num(name: string): number;
  topicSettings(topic: string): TopicSettings;
  correlationId(): number;
  /** The process's leader-side replication quota (ReplicationQuotaManager for LeaderReplication). */
  leaderQuota(): ReplicationQuota;
  /** The controller node the broker sends its requests to: `controller`, or the quorum's active controller as it knows it. */
  controllerNode(): string;
  send(to: number | string, body: AnyMessage, quiet?: boolean): void;
  /** One trace line for a quiet request/response pair, when the response arrives. */
  traceRoundTrip(msg: Envelope, kind: string, extra?: Pick<EventOf<'rt'>, 'u' | 'stale'>): void;
}
