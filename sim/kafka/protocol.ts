// The wire protocol of the simulated cluster: every request and response that crosses the simulated
// network, named and shaped after Kafka's own RPCs (clients/src/main/resources/common/message/*.json),
// trimmed to the fields the model uses. Nothing here has behaviour; brokers, the controller and the
// clients are written against these types.
//
// How a node plugs into the network (a producer, a consumer, a group coordinator, a test client):
//
//   const node = sim.network.attach('checkout', (msg, ctx) => { ... });   // see network.ts
//   node.send(1, { kind: 'produce', correlationId: 7, acks: -1, timeoutMs: 30000, partitions: [...] });
//
// `attach(name, handler)` registers the handler for every message addressed to `name` and returns the
// node's context: `send(to, body)`, `after(delayUs, fn)` / `cancel(timer)` for timers, `now`, `rng(name)`
// and `trace(event)`. A response arrives at the same handler as a message whose body has the matching
// `correlationId`; a request to a paused or unreachable node, or one whose machine lost power, simply
// never gets one, exactly as a real client sees it, so every client keeps its own request timeout. A
// node whose process died while its machine runs is different: its OS resets the connections and
// refuses new ones, and the network delivers that as a ConnectionNotice (below). Brokers answer with
// `ctx.reply(request, body)`, which addresses the response to the incarnation that sent the request.
// Extra request kinds are served by brokers through a part's `brokerExtensions` (a BrokerExtension,
// broker.ts; parts.ts), which is how the group coordinator lives on a broker.

/** Kafka's error codes, by their Kafka names (clients/…/common/protocol/Errors.java). */
export type ErrorCode =
  | 'NONE'
  | 'NOT_LEADER_OR_FOLLOWER'
  | 'NOT_ENOUGH_REPLICAS'
  | 'NOT_ENOUGH_REPLICAS_AFTER_APPEND'
  | 'REQUEST_TIMED_OUT'
  | 'UNKNOWN_TOPIC_OR_PARTITION'
  | 'LEADER_NOT_AVAILABLE'
  | 'FENCED_LEADER_EPOCH'
  | 'UNKNOWN_LEADER_EPOCH'
  | 'OFFSET_OUT_OF_RANGE'
  | 'OFFSET_NOT_AVAILABLE'
  | 'DUPLICATE_SEQUENCE_NUMBER'
  | 'OUT_OF_ORDER_SEQUENCE_NUMBER'
  | 'INVALID_PRODUCER_EPOCH'
  | 'INVALID_UPDATE_VERSION'
  | 'INELIGIBLE_REPLICA'
  | 'INVALID_REQUEST'
  | 'STALE_BROKER_EPOCH'
  | 'DUPLICATE_BROKER_REGISTRATION'
  | 'BROKER_NOT_AVAILABLE'
  | 'NOT_CONTROLLER'
  | 'INVALID_PARTITIONS'
  | 'INVALID_REPLICATION_FACTOR'
  | 'ELECTION_NOT_NEEDED'
  | 'ELIGIBLE_LEADERS_NOT_AVAILABLE'
  | 'PREFERRED_LEADER_NOT_AVAILABLE'
  | 'NETWORK_EXCEPTION'
  | 'RECORD_LIST_TOO_LARGE'
  | (string & {}); // the clients may add codes of their own (COORDINATOR_NOT_AVAILABLE, …)

/** Kafka's sentinels: no leader (−1), an unknown offset or epoch (−1), the consumer as replica id. */
export const NO_LEADER = -1;
export const UNKNOWN = -1;
export const CONSUMER_REPLICA_ID = -1;
/** ListOffsets timestamps (ListOffsetsRequest.EARLIEST_TIMESTAMP / LATEST_TIMESTAMP). */
export const EARLIEST_TIMESTAMP = -2;
export const LATEST_TIMESTAMP = -1;

/**
 * A batch of records as it travels in Produce and Fetch. Each record's identity is
 * (producerId, baseSequence + i) and it lands at offset baseOffset + i. The broker deduplicates by
 * that identity only when `idempotent` is set (enable.idempotence); the ledger always uses it.
 */
export interface RecordBatch {
  /** Assigned by the leader on append; −1 in a ProduceRequest. */
  baseOffset: number;
  count: number;
  /** The leader epoch the batch was written in (partitionLeaderEpoch); −1 in a ProduceRequest. */
  leaderEpoch: number;
  producerId: number;
  /** The idempotent producer's epoch (bumped by KIP-360 after a sequence error); 0 if unset. */
  producerEpoch?: number;
  baseSequence: number;
  /** key + value + overhead of all records, for batch.size and the fetch byte limits. */
  sizeBytes: number;
  /** A batch from an idempotent producer (enable.idempotence): the broker drops retried duplicates. */
  idempotent?: boolean;
  /**
   * The batch's maxTimestamp (µs): its last record's CreateTime (message.timestamp.type=CreateTime,
   * the default), set by the producer; retention.ms and segment.ms read it. Undefined: the leader's
   * append time stands in.
   */
  maxTimestampUs?: number;
}

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

// ---------------------------------------------------------------------------------------------------
// Produce (ProduceRequest.json v9+)

export interface ProduceRequest {
  kind: 'produce';
  correlationId: number;
  /** 0, 1 or −1 (all). */
  acks: 0 | 1 | -1;
  /** The producer's request.timeout.ms, used by the broker as the acks=all purgatory timeout. */
  timeoutMs: number;
  partitions: (TopicPartitionRef & { records: RecordBatch })[];
}

export interface ProducePartitionResponse extends TopicPartitionRef {
  error: ErrorCode;
  /** Offset of the first record, or −1 on error. */
  baseOffset: number;
  /** KIP-951 (3.7): the broker's view of the leader, sent with NOT_LEADER_OR_FOLLOWER. */
  currentLeader?: { leaderId: number; leaderEpoch: number };
}

export interface ProduceResponse {
  kind: 'produce-response';
  correlationId: number;
  partitions: ProducePartitionResponse[];
}

// ---------------------------------------------------------------------------------------------------
// Fetch (FetchRequest.json v12+: the response carries divergingEpoch, KAFKA-10554)

/** FetchIsolation: followers read to the log end, consumers to the high watermark. */
export type FetchIsolation = 'LOG_END' | 'HIGH_WATERMARK';

export interface FetchPartition extends TopicPartitionRef {
  fetchOffset: number;
  currentLeaderEpoch: number;
  /** The epoch of the last batch the fetcher holds (−1 if none or for consumers). */
  lastFetchedEpoch: number;
  partitionMaxBytes: number;
}

export interface FetchRequest {
  kind: 'fetch';
  correlationId: number;
  /** The fetching broker's id, or −1 (CONSUMER_REPLICA_ID) for a consumer. */
  replicaId: number;
  /** The follower's broker epoch (KIP-903), −1 for consumers. */
  replicaEpoch: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolation: FetchIsolation;
  partitions: FetchPartition[];
  /** KIP-392: a consumer's client.rack (its ClientMetadata), sent when set; lets it read from a follower. */
  rackId?: string;
}

export interface FetchPartitionResponse extends TopicPartitionRef {
  error: ErrorCode;
  highWatermark: number;
  logStartOffset: number;
  /**
   * Set when the fetcher's lastFetchedEpoch/fetchOffset are not on the leader's history: truncate to
   * min(own end offset for `epoch`, endOffset) (AbstractFetcherThread, KIP-101 / KIP-595 style).
   */
  divergingEpoch?: { epoch: number; endOffset: number };
  /**
   * The leader's log end offset, sent to followers only: stands in for the OffsetRequest a pre-0.11
   * follower made after OFFSET_OUT_OF_RANGE (replication.protocol: high-watermark).
   */
  logEndOffset?: number;
  currentLeader?: { leaderId: number; leaderEpoch: number };
  records: RecordBatch[];
  /** KIP-392: the replica the consumer should fetch this partition from (the leader then returns no records). */
  preferredReadReplica?: number;
}

export interface FetchResponse {
  kind: 'fetch-response';
  correlationId: number;
  error: ErrorCode;
  partitions: FetchPartitionResponse[];
}

// ---------------------------------------------------------------------------------------------------
// ListOffsets (ListOffsetsRequest.json)

export interface ListOffsetsRequest {
  kind: 'list-offsets';
  correlationId: number;
  replicaId: number;
  isolationLevel: 'read_uncommitted' | 'read_committed';
  partitions: (TopicPartitionRef & { timestamp: number; currentLeaderEpoch: number })[];
}

export interface ListOffsetsResponse {
  kind: 'list-offsets-response';
  correlationId: number;
  partitions: (TopicPartitionRef & { error: ErrorCode; offset: number; leaderEpoch: number })[];
}

// ---------------------------------------------------------------------------------------------------
// OffsetsForLeaderEpoch (OffsetForLeaderEpochRequest.json, KIP-101/KIP-320): where an epoch ends in the
// leader's log. Consumers ask it to validate their position after a leader change.

export interface OffsetsForLeaderEpochRequest {
  kind: 'offsets-for-leader-epoch';
  correlationId: number;
  partitions: (TopicPartitionRef & { currentLeaderEpoch: number; leaderEpoch: number })[];
}

export interface OffsetsForLeaderEpochResponse {
  kind: 'offsets-for-leader-epoch-response';
  correlationId: number;
  /** leaderEpoch/endOffset: the largest epoch ≤ the one asked for and where it ends; −1/−1 if unknown. */
  partitions: (TopicPartitionRef & { error: ErrorCode; leaderEpoch: number; endOffset: number })[];
}

// ---------------------------------------------------------------------------------------------------
// Metadata (MetadataRequest.json; leader epochs since KIP-320)

export interface MetadataRequest {
  kind: 'metadata';
  correlationId: number;
  /** null: every topic. */
  topics: string[] | null;
}

export interface MetadataPartition {
  partition: number;
  error: ErrorCode;
  /** −1 when the partition has no leader (LEADER_NOT_AVAILABLE). */
  leaderId: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface MetadataTopic {
  name: string;
  error: ErrorCode;
  partitions: MetadataPartition[];
}

export interface MetadataResponse {
  kind: 'metadata-response';
  correlationId: number;
  /** The broker that answered, for the client's bookkeeping. */
  brokerId: number;
  /** Live (unfenced) brokers as the answering broker's metadata cache knows them, sorted. */
  brokers: number[];
  controllerId: string;
  topics: MetadataTopic[];
}

// ---------------------------------------------------------------------------------------------------
// AlterPartition (KIP-497; AlterPartitionRequest.json v3 with broker epochs, KIP-903)

export interface AlterPartitionItem extends TopicPartitionRef {
  leaderEpoch: number;
  newIsrWithEpochs: { brokerId: number; brokerEpoch: number }[];
  partitionEpoch: number;
}

export interface AlterPartitionRequest {
  kind: 'alter-partition';
  correlationId: number;
  brokerId: number;
  brokerEpoch: number;
  partitions: AlterPartitionItem[];
}

export interface AlterPartitionResponse {
  kind: 'alter-partition-response';
  correlationId: number;
  error: ErrorCode;
  partitions: (TopicPartitionRef & {
    error: ErrorCode;
    leaderId: number;
    leaderEpoch: number;
    isr: number[];
    partitionEpoch: number;
  })[];
}

// ---------------------------------------------------------------------------------------------------
// Broker lifecycle with the KRaft controller (BrokerRegistrationRequest.json, BrokerHeartbeatRequest.json)

export interface BrokerRegistrationRequest {
  kind: 'broker-registration';
  correlationId: number;
  brokerId: number;
  /** A fresh id per process start (incarnationId), so the controller tells restarts apart. */
  incarnationId: number;
}

export interface BrokerRegistrationResponse {
  kind: 'broker-registration-response';
  correlationId: number;
  error: ErrorCode;
  brokerEpoch: number;
}

export interface BrokerHeartbeatRequest {
  kind: 'broker-heartbeat';
  correlationId: number;
  brokerId: number;
  brokerEpoch: number;
  /** The offset of the last metadata record the broker applied. */
  currentMetadataOffset: number;
  wantFence: boolean;
  wantShutDown: boolean;
}

export interface BrokerHeartbeatResponse {
  kind: 'broker-heartbeat-response';
  correlationId: number;
  error: ErrorCode;
  isCaughtUp: boolean;
  isFenced: boolean;
  shouldShutDown: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Metadata propagation. KRaft: brokers are observers that long-poll the controller's metadata log
// (KafkaRaftClient fetch, MAX_FETCH_WAIT_MS = 500). ZooKeeper mode: the controller pushes
// LeaderAndIsr/UpdateMetadata, here one `update-metadata` message carrying the same records.

/** The records of __cluster_metadata the model uses (metadata/src/main/resources/common/metadata/*.json). */
export type MetadataRecord =
  | { type: 'register-broker'; brokerId: number; brokerEpoch: number; incarnationId: number; fenced: boolean }
  | { type: 'broker-change'; brokerId: number; brokerEpoch: number; fenced?: boolean; inControlledShutdown?: boolean }
  | { type: 'topic'; name: string }
  /** PartitionRecord and PartitionChangeRecord, here always with the whole resulting state. */
  | {
      type: 'partition';
      topic: string;
      partition: number;
      replicas: number[];
      isr: number[];
      leader: number;
      leaderEpoch: number;
      partitionEpoch: number;
      leaderRecoveryState: 'RECOVERED' | 'RECOVERING';
      /** KIP-455: replicas a reassignment adds (they are in `replicas` already); absent when none. */
      addingReplicas?: number[];
      /** KIP-455: replicas a reassignment removes once the adding ones are in the ISR; absent when none. */
      removingReplicas?: number[];
    }
  /** KRaft's LeaderChangeMessage control record: a quorum leader's first record of its epoch (ignored by images). */
  | { type: 'leader-change'; leaderId: number; epoch: number }
  /** ConfigRecord: value null deletes the override. `name` is a topic, or a broker id ('' = cluster default). */
  | { type: 'config'; resource: 'topic' | 'broker'; name: string; key: string; value: number | boolean | string | null };

export interface MetadataFetchRequest {
  kind: 'metadata-fetch';
  correlationId: number;
  brokerId: number;
  /** The next metadata offset the broker wants. */
  fetchOffset: number;
  maxWaitMs: number;
}

export interface MetadataFetchResponse {
  kind: 'metadata-fetch-response';
  correlationId: number;
  /** A controller quorum's voter that is not the leader answers NOT_LEADER_OR_FOLLOWER, with the leader it knows. */
  error: ErrorCode;
  /** Quorum mode: the quorum leader the answering voter knows (controller-N's N), −1 if none, and its epoch. */
  leaderId?: number;
  leaderEpoch?: number;
  /** Records from fetchOffset on; `baseOffset` is the offset of records[0]. */
  baseOffset: number;
  records: MetadataRecord[];
}

/** ZooKeeper mode: the controller's push of LeaderAndIsr + UpdateMetadata. */
export interface UpdateMetadataRequest {
  kind: 'update-metadata';
  correlationId: number;
  baseOffset: number;
  records: MetadataRecord[];
}

/** ZooKeeper mode: the broker's session keep-alive, standing in for ZooKeeper's pings and watches. */
export interface ZkSessionRequest {
  kind: 'zk-session';
  correlationId: number;
  brokerId: number;
  incarnationId: number;
  /** 'open' creates /brokers/ids/<id>, 'ping' keeps it, 'close' deletes it (clean shutdown). */
  op: 'open' | 'ping' | 'close';
}

export interface ZkSessionResponse {
  kind: 'zk-session-response';
  correlationId: number;
  error: ErrorCode;
  brokerEpoch: number;
}

/** ZooKeeper mode controlled shutdown (ControlledShutdownRequest.json). */
export interface ControlledShutdownRequest {
  kind: 'controlled-shutdown';
  correlationId: number;
  brokerId: number;
  brokerEpoch: number;
}

export interface ControlledShutdownResponse {
  kind: 'controlled-shutdown-response';
  correlationId: number;
  error: ErrorCode;
  /** Partitions the broker still leads; empty means it may stop. */
  remainingPartitions: TopicPartitionRef[];
}

// ---------------------------------------------------------------------------------------------------
// The KRaft controller quorum among controller nodes (raft/…/KafkaRaftClient.java; VoteRequest.json,
// BeginQuorumEpochRequest.json, FetchRequest.json as the quorum uses it). Voters are named by their
// index N of `controller-N`.

export interface VoteRequest {
  kind: 'vote';
  correlationId: number;
  candidateId: number;
  candidateEpoch: number;
  /** The epoch and end offset of the candidate's log: a voter grants only to a log at least as up to date. */
  lastOffsetEpoch: number;
  lastOffset: number;
}

export interface VoteResponse {
  kind: 'vote-response';
  correlationId: number;
  epoch: number;
  voteGranted: boolean;
  leaderId: number;
}

export interface BeginQuorumEpochRequest {
  kind: 'begin-quorum-epoch';
  correlationId: number;
  leaderId: number;
  leaderEpoch: number;
}

export interface QuorumFetchRequest {
  kind: 'quorum-fetch';
  correlationId: number;
  replicaId: number;
  epoch: number;
  fetchOffset: number;
  lastFetchedEpoch: number;
  maxWaitMs: number;
}

export interface QuorumFetchResponse {
  kind: 'quorum-fetch-response';
  correlationId: number;
  error: ErrorCode;
  epoch: number;
  leaderId: number;
  highWatermark: number;
  baseOffset: number;
  records: MetadataRecord[];
  /** The quorum epoch of each record. */
  epochs: number[];
  /** The follower's log diverges: truncate to this offset and fetch again. */
  divergingEndOffset?: number;
}

/**
 * What a host's operating system tells a peer about their TCP connection. The network delivers these
 * on the host's behalf, never its process, and traces them as messages (`msg`, kind = the notice):
 * - `disconnect`: the connection closed. The peer's process died or stopped, so its OS reset the
 *   socket (RST/FIN), or a broker closed it instead of answering (a failed acks=0 produce, KafkaApis);
 * - `connection-refused`: a message reached a host whose process is down (RST);
 * - `connect` / `connected`: a client opening a connection (the TCP handshake) and the host's
 *   answer, which comes from the kernel and so also from a paused process.
 * The client sees the first two as a disconnect (NetworkClient.handleDisconnections).
 */
export interface ConnectionNotice {
  kind: 'disconnect' | 'connection-refused' | 'connect' | 'connected';
  correlationId?: number;
}

export const CONNECTION_NOTICES: ReadonlySet<string> = new Set(['disconnect', 'connection-refused', 'connect', 'connected']);

/** Any message body; clients add their own kinds (JoinGroup, OffsetCommit, …) as `{ kind: string }`. */
export type KafkaMessage =
  | ProduceRequest
  | ProduceResponse
  | FetchRequest
  | FetchResponse
  | ListOffsetsRequest
  | ListOffsetsResponse
  | OffsetsForLeaderEpochRequest
  | OffsetsForLeaderEpochResponse
  | MetadataRequest
  | MetadataResponse
  | AlterPartitionRequest
  | AlterPartitionResponse
  | BrokerRegistrationRequest
  | BrokerRegistrationResponse
  | BrokerHeartbeatRequest
  | BrokerHeartbeatResponse
  | MetadataFetchRequest
  | MetadataFetchResponse
  | UpdateMetadataRequest
  | ZkSessionRequest
  | ZkSessionResponse
  | ControlledShutdownRequest
  | ControlledShutdownResponse
  | VoteRequest
  | VoteResponse
  | BeginQuorumEpochRequest
  | QuorumFetchRequest
  | QuorumFetchResponse
  | ConnectionNotice;

/** A message body as the network carries it: a Kafka message, or a client's own kind. */
export interface MessageBody {
  kind: string;
  correlationId?: number;
}

/** What may be sent: one of the messages above, or a client's own kind with its own fields. */
export type AnyMessage = KafkaMessage | MessageBody | (MessageBody & { [field: string]: unknown });
